define nofile.xml
define a-directory
define malformed.xml
define no-os.xml
start test --paused
qemu-monitor-command test --hmp info status
qemu-monitor-command test '{"execute":"query-status"}'
qemu-monitor-command test query-status
qemu-monitor-command test --hmp --pretty info
