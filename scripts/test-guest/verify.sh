#!/usr/bin/env bash
# Boots the test guest (built or reused by scripts/build-test-guest.sh) under TCG RUNS times
# (default 3) and checks the protocol in README.md: READY, counters, a marker written through the
# kernel command line and read back by the guest and by qemu-io, the shell (last run when RUNS > 1),
# and ACPI power-off by QMP system_powerdown (QEMU must exit). Prints each boot-to-READY time (wall
# and QEMU's CPU time) and their medians. MACHINE (q35) and MEMORY (MiB, 128) change the VM.
# Needs qemu-system-x86_64 and qemu-io; plain bash, with the serial port and QMP through FIFOs.
set -euo pipefail

runs="${RUNS:-3}"
machine="${MACHINE:-q35}"
memory="${MEMORY:-128}"
guest="$("$(dirname "$0")/../build-test-guest.sh" | tail -n 1)"
work="$(mktemp -d "${TMPDIR:-/tmp}/virt-test-guest-verify.XXXXXX")"
qemu_pid=""
cleanup() {
  [ -z "$qemu_pid" ] || kill "$qemu_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; echo "--- serial:" >&2; cat "$work/serial.log" >&2 || true; exit 1; }

# Waits up to $2 seconds for a serial line matching the extended regex $1.
wait_serial() {
  local deadline=$((SECONDS + $2))
  until tr -d '\r' <"$work/serial.log" | grep -Eq "$1"; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no serial line matching '$1' within $2 s"
    sleep 0.05
  done
}

# Sends a QMP command and waits up to 30 s for its reply (QMP answers in order).
qmp() {
  local replies
  replies=$(grep -c -E '^\{"(return|error)"' "$work/qmp.log" || true)
  echo "$1" >&6
  local deadline=$((SECONDS + 30))
  until [ "$(grep -c -E '^\{"(return|error)"' "$work/qmp.log" || true)" -gt "$replies" ]; do
    [ "$SECONDS" -lt "$deadline" ] || fail "no QMP reply to $1"
    sleep 0.05
  done
  ! tail -n 1 "$work/qmp.log" | grep -q '^{"error"' || fail "QMP error for $1: $(tail -n 1 "$work/qmp.log")"
}

counter_lines() { tr -d '\r' <"$work/serial.log" | grep -c "^VIRT-GUEST COUNTER $1\$" || true; }

boot() { # $1 = extra kernel options
  rm -f "$work"/ser.* "$work"/qmp.* "$work/serial.log" "$work/qmp.log"
  mkfifo "$work/ser.in" "$work/ser.out" "$work/qmp.in" "$work/qmp.out"
  qemu-img create -q -f qcow2 "$work/disk.qcow2" 16M
  start_ns=$(date +%s%N)
  qemu-system-x86_64 -machine "$machine,accel=tcg" -m "$memory" -nodefaults -no-user-config \
    -display none \
    -chardev "pipe,id=ser0,path=$work/ser" -serial chardev:ser0 \
    -chardev "pipe,id=qmp0,path=$work/qmp" -mon chardev=qmp0,mode=control \
    -kernel "$guest/vmlinuz" -initrd "$guest/initramfs.cpio.gz" -append "console=ttyS0 quiet $1" \
    -blockdev "{\"driver\":\"file\",\"filename\":\"$work/disk.qcow2\",\"node-name\":\"f0\"}" \
    -blockdev '{"driver":"qcow2","file":"f0","node-name":"d0"}' \
    -device virtio-blk-pci,drive=d0,id=vd0 &
  qemu_pid=$!
  cat "$work/ser.out" >"$work/serial.log" &
  cat "$work/qmp.out" >"$work/qmp.log" &
  exec 5>"$work/ser.in" 6>"$work/qmp.in"
  qmp '{"execute":"qmp_capabilities"}'
}

times=()
cpu_times=()
for run in $(seq 1 "$runs"); do
  shell=0
  [ "$run" -lt "$runs" ] || [ "$runs" -lt 2 ] || shell=1
  marker="VIRTMARKrun$run"
  around="/dev/vda:4094:$((${#marker} + 4))"
  boot "virt.shell=$shell virt.marker=/dev/vda:4096:$marker virt.readmarker=$around"
  wait_serial '^VIRT-GUEST READY$' 120
  ready_ns=$(date +%s%N)
  read -r -a stat <"/proc/$qemu_pid/stat"
  times+=("$(( (ready_ns - start_ns) / 1000000 ))")
  # QEMU's own CPU time (utime + stime, clock ticks) says more than wall time on a loaded host.
  cpu_times+=("$(( (stat[13] + stat[14]) * 1000 / $(getconf CLK_TCK) ))")
  grep -q "^VIRT-GUEST MARKER WRITTEN /dev/vda:4096:$marker" <(tr -d '\r' <"$work/serial.log") ||
    fail "marker not written"
  hex="$(printf %s "$marker" | od -An -tx1 | tr -d ' \n')"
  wait_serial "^VIRT-GUEST MARKER READ $around hex=0000${hex}0000 text=\.\.$marker\.\.\$" 5
  if [ "$shell" = 0 ]; then
    wait_serial '^VIRT-GUEST COUNTER 2$' 10
    if [ "$run" = 1 ]; then
      # Paused, the guest prints nothing; resumed, it counts on.
      qmp '{"execute":"stop"}'
      paused_at="$(tr -d '\r' <"$work/serial.log" | grep -c '^VIRT-GUEST COUNTER')"
      sleep 2
      [ "$(tr -d '\r' <"$work/serial.log" | grep -c '^VIRT-GUEST COUNTER')" = "$paused_at" ] ||
        fail "counter lines while paused"
      qmp '{"execute":"cont"}'
      wait_serial "^VIRT-GUEST COUNTER $((paused_at + 2))\$" 10
      # A revert to an internal snapshot takes the counter back: its next value appears again.
      qmp '{"execute":"human-monitor-command","arguments":{"command-line":"savevm s1"}}'
      saved_at="$(tr -d '\r' <"$work/serial.log" | grep -c '^VIRT-GUEST COUNTER')"
      wait_serial "^VIRT-GUEST COUNTER $((saved_at + 2))\$" 10
      qmp '{"execute":"human-monitor-command","arguments":{"command-line":"loadvm s1"}}'
      deadline=$((SECONDS + 10))
      until [ "$(counter_lines $((saved_at + 1)))" -ge 2 ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "counter did not go back after loadvm"
        sleep 0.05
      done
      checked_pause=", pause, revert"
    fi
  else
    wait_serial '^virt-guest# ' 10
    echo 'echo typed-$((6 * 7))' >&5
    wait_serial '^typed-42$' 10
    echo '/init readmarker /dev/vda:4096:4' >&5
    wait_serial '^VIRT-GUEST MARKER READ /dev/vda:4096:4 hex=[0-9a-f]{8} text=VIRT$' 10
    # Ctrl-C reaches the foreground command: the shell owns the console as its terminal.
    echo 'sleep 600' >&5
    sleep 1
    printf '\003' >&5
    echo 'echo interrupted' >&5
    wait_serial '^interrupted$' 10
  fi
  powerdown_ns=$(date +%s%N)
  qmp '{"execute":"system_powerdown"}'
  wait_serial 'VIRT-GUEST POWEROFF$' 20
  deadline=$((SECONDS + 20))
  while kill -0 "$qemu_pid" 2>/dev/null; do
    [ "$SECONDS" -lt "$deadline" ] || fail "QEMU did not exit after system_powerdown"
    sleep 0.1
  done
  wait "$qemu_pid" || fail "QEMU exited with status $?"
  powerdown_ms=$(( ($(date +%s%N) - powerdown_ns) / 1000000 ))
  qemu_pid=""
  exec 5>&- 6>&-
  grep -q '"event": "SHUTDOWN".*"guest-shutdown"' "$work/qmp.log" ||
    fail "no guest SHUTDOWN event: $(cat "$work/qmp.log")"
  # The marker is on the disk: the first byte as a pattern, the whole text in qemu-io's dump.
  pattern="$(qemu-io -f qcow2 -c "read -P 0x56 4096 1" "$work/disk.qcow2")"
  [[ "$pattern" == *"read 1/1 bytes"* ]] || fail "qemu-io: no marker: $pattern"
  dump="$(qemu-io -f qcow2 -c "read -v 4096 ${#marker}" "$work/disk.qcow2")"
  [[ "$dump" == *"  $marker"* ]] || fail "qemu-io: marker text differs: $dump"
  checked="marker, $([ "$shell" = 1 ] && echo shell || echo counter)${checked_pause:-}, ACPI power-off"
  checked_pause=""
  echo "run $run: READY after ${times[-1]} ms (QEMU CPU ${cpu_times[-1]} ms); $checked ok" \
    "(QEMU gone ${powerdown_ms} ms after system_powerdown)"
done
median() { printf '%s\n' "$@" | sort -n | sed -n "$(( ($# + 1) / 2 ))p"; }
echo "boot to READY: ${times[*]} ms, median $(median "${times[@]}") ms;" \
  "QEMU CPU time: ${cpu_times[*]} ms, median $(median "${cpu_times[@]}") ms;" \
  "load: $(cut -d' ' -f1-3 /proc/loadavg)"
