echo a; domid nosuch
