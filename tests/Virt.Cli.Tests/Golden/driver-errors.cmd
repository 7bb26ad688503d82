define nofile.xml
define a-directory
start test --paused
qemu-monitor-command test --hmp --pretty info
