dumpxml test
dumpxml test --inactive
dumpxml --domain 1 --security-info
domblklist test
domblklist test --details
domblklist test --inactive
define foo.xml
domblklist foo
domblklist --details foo
dumpxml foo
