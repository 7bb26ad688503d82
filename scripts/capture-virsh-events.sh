#!/usr/bin/env bash
# Captures what `virsh event` prints while another connection changes domains, for the virt CLI's event golden
# tests. libvirt's test driver drops events nobody is registered for and keeps its test:///default host per
# process, so the watcher and the operations must be two connections to one process: this starts a private
# libvirtd (Debian libvirt-daemon 9.0, as root; no hypervisor driver modules, its own socket folder) that serves
# test:///default over test+unix://.
#
# A case is a base name under tests/Virt.Cli.Tests/Golden/Events/ with
#   NAME.watch  the watcher's command string (one virsh argument), started first
#   NAME.ops    the operations' command string, run by a second virsh once the watcher waits
# Both run in Golden/files/. The watcher's output is written to NAME.out, NAME.err and NAME.rc.
# Usage: scripts/capture-virsh-events.sh [NAME...]
set -euo pipefail

golden="$(cd "$(dirname "$0")/../tests/Virt.Cli.Tests/Golden" && pwd)"
cases="$golden/Events"
command -v virsh >/dev/null || { echo "virsh not found: apt-get install libvirt-clients" >&2; exit 1; }
command -v libvirtd >/dev/null || { echo "libvirtd not found: apt-get install libvirt-daemon" >&2; exit 1; }
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI VIRT_DEFAULT_URI

work="$(mktemp -d)"
daemon=""
cleanup() {
  [ -n "$daemon" ] && kill "$daemon" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
mkdir -p "$work/run" "$work/drivers" "$work/home"
export HOME="$work/home" XDG_CONFIG_HOME="$work/home/.config" XDG_CACHE_HOME="$work/home/.cache"
cat > "$work/libvirtd.conf" <<CONF
unix_sock_dir = "$work/run"
unix_sock_rw_perms = "0700"
auth_unix_rw = "none"
auth_unix_ro = "none"
CONF
LIBVIRT_DRIVER_DIR="$work/drivers" libvirtd -f "$work/libvirtd.conf" -p "$work/libvirtd.pid" > "$work/libvirtd.log" 2>&1 &
daemon=$!
uri="test+unix:///default?socket=$work/run/libvirt-sock"
for _ in $(seq 50); do [ -S "$work/run/libvirt-sock" ] && break; sleep 0.1; done
[ -S "$work/run/libvirt-sock" ] || { cat "$work/libvirtd.log" >&2; exit 1; }

if [ $# -gt 0 ]; then
  names=("$@")
else
  mapfile -t names < <(cd "$cases" && ls -1 ./*.watch | sed -e 's|^\./||' -e 's|\.watch$||' | sort)
fi

cd "$golden/files"
for name in "${names[@]}"; do
  set +e
  virsh -c "$uri" "$(cat "$cases/$name.watch")" > "$cases/$name.out" 2> "$cases/$name.err" &
  watcher=$!
  sleep 1
  virsh -c "$uri" "$(cat "$cases/$name.ops")" > /dev/null 2> "$work/ops.err"
  wait "$watcher"
  echo $? > "$cases/$name.rc"
  set -e
  if [ -s "$work/ops.err" ]; then echo "$name: the operations failed:" >&2; cat "$work/ops.err" >&2; exit 1; fi
  echo "$name: exit $(cat "$cases/$name.rc")"
done
