snapshot-create-as test nm --no-metadata
snapshot-create-as test disk1 --disk-only
snapshot-create-as test r1 --reuse-external
snapshot-create-as test m1
snapshot-delete test m1 --metadata
snapshot-create test snap.xml --redefine
snapshot-list test --name
