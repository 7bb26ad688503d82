dominfo test
define foo.xml
dominfo foo
dominfo 4dea22b3-1d52-d8f3-2516-782e98ab3fa0
undefine test
dominfo test
list --all --persistent
list --all --transient
destroy test
list --all
dominfo test
