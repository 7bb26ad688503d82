define foo.xml
snapshot-create-as foo m1 --description "with metadata"
snapshot-create-as foo m2
list --all --with-snapshot
list --all --without-snapshot --name
snapshot-dumpxml foo m1 --security-info
undefine foo
snapshot-list foo --name
snapshot-list foo --metadata --name
snapshot-list foo --no-metadata --name
snapshot-info foo m1
snapshot-create test redefine.xml --redefine
snapshot-current test --name
snapshot-info test redef
snapshot-create test redefine.xml --redefine --current
snapshot-current test --name
snapshot-list test --tree
snapshot-list foo --tree
snapshot-list foo --parent
snapshot-delete foo m1 --children
snapshot-list foo --name
undefine foo --snapshots-metadata
list --all
snapshot-create-as test live1 --live
snapshot-create-as test q1 --quiesce
snapshot-create-as test a1 --atomic
snapshot-create-as test v1 --validate
snapshot-list test --name
snapshot-list test --roots --name
snapshot-delete --snapshotname a1 test
snapshot-revert test --snapshotname a1 --force
snapshot-revert test --snapshotname v1 --force
snapshot-current test --name
