echo a; quit; echo b
