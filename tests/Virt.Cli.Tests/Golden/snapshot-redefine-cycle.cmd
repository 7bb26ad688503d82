snapshot-create-as test a
snapshot-create-as test b
snapshot-create-as test c
snapshot-create-as test d
snapshot-create test cycle-a.xml --redefine
snapshot-create test cycle-b.xml --redefine
snapshot-list test --parent
