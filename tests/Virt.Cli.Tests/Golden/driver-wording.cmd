define no-os.xml
qemu-monitor-command test --hmp info status
qemu-monitor-command test '{"execute":"query-status"}'
qemu-monitor-command test query-status
