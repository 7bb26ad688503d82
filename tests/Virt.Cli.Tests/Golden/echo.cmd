echo
echo hello world
echo "hello   world" 'single  quoted' mixed"dq"'sq'
echo --shell "a b" c "it's" ""
echo --xml "<a&b>" "q\"x'"
echo --xml --shell "<a b>"
echo --split a,b,,c d
echo -- --err --xml x
echo --err hello error world
echo --err
echo a#b # comment
# a comment line
echo back\
slash
echo "tab	inside" 'semi;colon' "new
line"
echo a;echo b;;echo c
echo --string=named x
