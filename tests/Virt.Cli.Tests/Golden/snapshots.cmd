snapshot-list test
snapshot-current test
snapshot-current test --name
snapshot-create-as test s1 --description "first one"
snapshot-create-as test --name s2
snapshot-list test
snapshot-list test --tree
snapshot-list test --parent
snapshot-list test --name
snapshot-info test s1
snapshot-info test --current
snapshot-info --snapshotname s2 test
snapshot-current test --name
snapshot-parent test s2
snapshot-parent test --current
snapshot-parent test s1
snapshot-dumpxml test s1
snapshot-current test
snapshot-revert test s1
snapshot-create-as test s3
snapshot-create-as test s4
snapshot-create test snap.xml
snapshot-list test --tree
snapshot-current test s2
snapshot-current test --name
snapshot-list test --leaves
snapshot-list test --no-leaves
snapshot-list test --roots
snapshot-list test --from s1
snapshot-list test --from s1 --name
snapshot-list test --from s1 --descendants
snapshot-list test --from s3 --tree
snapshot-list test --from s1 --tree
snapshot-list test --current --descendants --name
snapshot-list test --topological --name
snapshot-list test --metadata --name
snapshot-list test --no-metadata --name
snapshot-list test --internal --name
snapshot-list test --external --name
snapshot-list test --active --name
snapshot-list test --inactive --name
snapshot-list test --roots --parent
snapshot-list test --tree --leaves
snapshot-list test --descendants
snapshot-list test --tree --name
snapshot-list test --from s1 --current
snapshot-list test --roots --from s1
snapshot-list test --from nosuch
snapshot-info test s1
snapshot-delete test s4
snapshot-delete test s1 --children-only
snapshot-list test --tree
snapshot-delete test --current
snapshot-list test
snapshot-delete test s1
snapshot-delete test nosuch
snapshot-delete test
snapshot-delete test s1 --current
snapshot-revert test nosuch
snapshot-revert test
snapshot-info test
snapshot-info test nosuch
snapshot-info test s1 --current
snapshot-parent test
snapshot-dumpxml test nosuch
snapshot-create test nofile.xml
define foo.xml
snapshot-current foo
snapshot-list foo
snapshot-list foo --tree
snapshot-create-as foo off1
snapshot-info foo off1
snapshot-list foo --inactive --name
snapshot-create-as test h1 --halt
domstate test --reason
snapshot-create-as test h2
snapshot-list test --parent
snapshot-revert test h1
domstate test --reason
snapshot-info test ''
