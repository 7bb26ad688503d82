snapshot-create-as test a b c d --print-xml
snapshot-create-as test --print-xml --memspec /m.img,snapshot=external --diskspec vda,snapshot=external,driver=qcow2,file=/x.qcow2 --diskspec vdb,stype=block,file=/dev/sdb --diskspec 'hdc,snapshot=no'
snapshot-create-as test --print-xml --memspec file=/a,,b.img --diskspec vda,file=/c,,d
snapshot-create-as test --print-xml --memspec bogus
snapshot-create-as test --print-xml --diskspec vda,stype=net
snapshot-create-as test --print-xml --diskspec vda,bogus=1
snapshot-create-as test --print-xml --description '<&>' --name "a'b"
snapshot-create-as test --print-xml
snapshot-list test
