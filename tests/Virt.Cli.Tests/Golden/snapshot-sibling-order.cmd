snapshot-create-as test a
snapshot-create-as test b
snapshot-create-as test c
snapshot-revert test a
snapshot-create-as test d
snapshot-revert test a
snapshot-create-as test e
snapshot-revert test b
snapshot-create-as test f
snapshot-list test --topological --name
snapshot-list test --tree --topological
snapshot-list test --from a --descendants --topological --name
snapshot-list test --from a --topological --name
snapshot-list test --tree
snapshot-delete test b
snapshot-list test --topological --name
snapshot-list test --tree --topological
snapshot-list test --roots --topological --name
snapshot-create test redefine.xml --redefine
snapshot-create-as test g
snapshot-list test --roots --topological --name
snapshot-create test redefine.xml --redefine
snapshot-list test --roots --topological --name
snapshot-list test --topological --name
