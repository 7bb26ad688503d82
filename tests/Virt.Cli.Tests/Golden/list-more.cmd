define titled.xml
list --all --title
list --title
list --name --title
list --with-checkpoint --all
list --without-checkpoint --all
list --without-managed-save --all --managed-save
list --with-managed-save --all
help list
