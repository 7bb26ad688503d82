snapshot-create-as test s1
snapshot-current test s1 --name
snapshot-current test s1 --security-info
snapshot-current test ""
snapshot-current test --name
