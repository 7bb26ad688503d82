define Zeta.xml
define _under.xml
define a-much-longer-name.xml
list --all --name
list --all
