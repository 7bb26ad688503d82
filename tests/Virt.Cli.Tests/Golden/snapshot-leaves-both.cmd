snapshot-create-as test a
snapshot-create-as test b
snapshot-list test --leaves --no-leaves
snapshot-list test --leaves --no-leaves --roots --name
snapshot-list test --leaves --no-leaves --from a --name
snapshot-list test --leaves --no-leaves --from a --descendants
snapshot-list test --leaves --no-leaves --topological --name
snapshot-list test --leaves --name
snapshot-list test --no-leaves --name
