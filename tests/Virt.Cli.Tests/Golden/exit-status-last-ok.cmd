domid nosuch; echo a
