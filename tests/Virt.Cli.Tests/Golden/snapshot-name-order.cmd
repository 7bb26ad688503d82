snapshot-create-as test b
snapshot-create-as test A
snapshot-create-as test é
snapshot-create-as test Z
snapshot-create-as test É
snapshot-create-as test _x
snapshot-create-as test 1
snapshot-create-as test [
snapshot-create-as test c
snapshot-list test --name
snapshot-list test --roots --name
snapshot-list test --from b --descendants --name
snapshot-list test --tree
