dumpxml test --xpath '//target/@dev'
dumpxml test --xpath //os
dumpxml test --xpath '//name/text()'
dumpxml test --xpath //os --wrap
dumpxml test --xpath '//os|//name' --wrap
dumpxml test --xpath '//vcpu/@placement|//boot/@dev' --wrap
dumpxml test --xpath '//target/@dev' --wrap
dumpxml test --xpath //nosuch
dumpxml test --xpath //nosuch --wrap
dumpxml test --wrap --inactive --xpath '/domain/@*'
dumpxml test --xpath 'count(//disk)'
dumpxml test --xpath //devices --wrap
dumpxml test --wrap
snapshot-create-as test s1 --description 'a <b> & "c"'
snapshot-dumpxml test s1 --xpath //name
snapshot-dumpxml test s1 --xpath //description
snapshot-dumpxml test s1 --xpath //disks --wrap
snapshot-dumpxml test s1 --xpath //description/text()
help dumpxml
help snapshot-dumpxml
