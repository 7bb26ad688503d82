define foo.xml
list --all
start foo
list
domstate foo
domstate foo --reason
suspend foo
domstate --reason foo
list --all
suspend foo
resume foo
domstate foo --reason
resume foo
start foo
shutdown foo
domstate foo --reason
shutdown foo
start foo
destroy foo
domstate foo --reason
destroy foo
suspend foo
undefine foo
list --all
undefine foo
