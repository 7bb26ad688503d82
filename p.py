import socket,json,time
s=socket.socket(socket.AF_UNIX); s.connect('/tmp/qmpprobe/s.sock'); f=s.makefile('rwb',buffering=0)
def rd(): 
    l=f.readline(); print(l.decode().rstrip()); return json.loads(l)
def cmd(c,a=None,i=None):
    o={"execute":c}
    if a is not None: o["arguments"]=a
    if i is not None: o["id"]=i
    f.write((json.dumps(o)+"\n").encode())
rd()
cmd("qmp_capabilities",{"enable":["oob"]},"x"); rd()
cmd("query-status",None,1); rd()
cmd("query-status",None,"str"); rd()
cmd("nope",None,2); rd()
cmd("human-monitor-command",{"command-line":"echo hi"},3); rd()
cmd("human-monitor-command",{"command-line":"info version"},4); rd()
cmd("snapshot-save",{"job-id":"j1","tag":"t","vmstate":"nonode","devices":["disk0"]},5); 
for i in range(6): rd()
cmd("query-jobs",None,6); rd()
cmd("job-dismiss",{"id":"j1"},7); rd()
cmd("snapshot-save",{"job-id":"j2","tag":"t","vmstate":"disk0","devices":["disk0"]},8);
s.settimeout(3)
try:
  for i in range(8): rd()
except Exception as e: print(e)
cmd("query-jobs",None,9); rd()
cmd("stop",None,10); rd(); 
cmd("cont",None,11); rd(); rd()
cmd("query-block",None,12); rd()
cmd("blah","x",13); rd()
f.write(b'{"execute":"query-status","id":{"a":[1]}}\n'); rd()
f.write(b'{"exec-oob":"query-status","id":14}\n'); rd()
f.write(b'[1]\n'); rd()
cmd("quit",None,15); rd(); 
try: rd(); rd()
except Exception as e: print(e)
