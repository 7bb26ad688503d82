domstate ''
define ''
shutdown test --mode ''
domid test
