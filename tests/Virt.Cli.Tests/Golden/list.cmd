list
list --all
list --inactive
list --name
list --uuid
list --id
define foo.xml
define Zeta.xml
define a-much-longer-name.xml
list --all
list --inactive
list --all --name
list --all --uuid
list --all --id
list --all --name --uuid
list --all --id --name
list --all --uuid --id
list --all --name --id --uuid
list --inactive --name
list --state-running --all
list --state-shutoff --all
list --state-shutoff
list --state-paused --state-running --all
start a-much-longer-name
suspend a-much-longer-name
list --all
list --state-paused
list --state-other --all
list --persistent --all --name
list --transient --all --name
list --table --all
list --table --name
list --table --uuid
list --table --id
list --all --with-snapshot
list --all --without-snapshot --name
list --autostart --all
list --no-autostart --all --name
