#!/usr/bin/env bash
# A throwaway libvirt 9.0 daemon running the real QEMU driver (qemu:///system), for side-by-side comparisons.
# It never touches a system daemon or the host's libvirt state: libvirtd and virtlogd run as root inside a mount
# namespace of their own (unshare -m, propagation private) where
#   /etc/libvirt     is a temp folder with our libvirtd.conf, qemu.conf and virtlogd.conf,
#   /run/libvirt     is a temp folder (qemu state, monitor sockets, virtlogd's socket, pid files),
#   /var             is an overlay whose upper layer is a temp folder (/var/lib, /var/cache, /var/log/libvirt),
#   /etc/passwd, /etc/group are temp copies that add the libvirt-qemu user (Debian's build looks it up at start
#                    even when qemu.conf says user = "root"; the host's files are not changed).
# The daemon's client sockets are in a temp folder outside the namespace (unix_sock_dir), so the URI is
#   qemu+unix:///system?socket=DIR/sock/libvirt-sock
# LIBVIRT_DRIVER_DIR holds only the QEMU driver, so no network, storage or nodedev driver starts. QEMU runs as
# root (qemu.conf user/group), everything else is libvirt's default for qemu:///system (virtlogd for QEMU's log,
# cgroups under the host's /sys/fs/cgroup "machine" partition, a mount namespace per QEMU). The kernel's cgroup
# folders are the one thing shared with the host; libvirt removes them when a domain stops.
#
# Sourced by scripts/compare-qemu-*.sh: `libvirtd_qemu_start DIR` sets LIBVIRTD_QEMU_URI, `libvirtd_qemu_stop`
# destroys what still runs under it, stops both daemons and leaves DIR to the caller.
# Run directly, it starts one, prints the URI and stops it when you press Enter.

libvirtd_qemu_start() {
  local dir=$1
  LIBVIRTD_QEMU_DIR=$dir
  mkdir -p "$dir/etc/qemu" "$dir/run" "$dir/sock" "$dir/var/upper" "$dir/var/work" "$dir/drivers"
  ln -sf /usr/lib/x86_64-linux-gnu/libvirt/connection-driver/libvirt_driver_qemu.so "$dir/drivers/"
  cat > "$dir/etc/libvirtd.conf" <<CONF
unix_sock_dir = "$dir/sock"
auth_unix_rw = "none"
auth_unix_ro = "none"
CONF
  cat > "$dir/etc/qemu.conf" <<CONF
user = "root"
group = "root"
CONF
  : > "$dir/etc/virtlogd.conf"
  cp /etc/passwd "$dir/passwd"
  cp /etc/group "$dir/group"
  grep -q '^libvirt-qemu:' "$dir/passwd" || echo 'libvirt-qemu:x:64055:64055:Libvirt Qemu:/var/lib/libvirt:/usr/sbin/nologin' >> "$dir/passwd"
  grep -q '^libvirt-qemu:' "$dir/group" || echo 'libvirt-qemu:x:64055:' >> "$dir/group"
  grep -q '^kvm:' "$dir/group" || echo 'kvm:x:64056:' >> "$dir/group"
  # A fresh machine has no /run/libvirt until systemd's tmpfiles make it; the bind mount needs the mount point.
  mkdir -p /run/libvirt
  # The daemons fork into the background (-d) and keep the namespace alive after unshare's shell exits.
  unshare --mount --propagation private env D="$dir" bash -euc '
    mount --bind "$D/passwd" /etc/passwd
    mount --bind "$D/group" /etc/group
    mount --bind "$D/etc" /etc/libvirt
    mount --bind "$D/run" /run/libvirt
    mount -t overlay overlay -o "lowerdir=/var,upperdir=$D/var/upper,workdir=$D/var/work" /var
    mkdir -p /var/log/libvirt/qemu /var/lib/libvirt/qemu /var/cache/libvirt/qemu
    virtlogd -d -p "$D/virtlogd.pid"
    LIBVIRT_DRIVER_DIR="$D/drivers" libvirtd -d -p "$D/libvirtd.pid"
  '
  LIBVIRTD_QEMU_URI="qemu+unix:///system?socket=$dir/sock/libvirt-sock"
  for _ in $(seq 200); do virsh -q -c "$LIBVIRTD_QEMU_URI" uri >/dev/null 2>&1 && return 0; sleep 0.05; done
  echo "the throwaway libvirtd did not answer on $LIBVIRTD_QEMU_URI" >&2
  return 1
}

libvirtd_qemu_stop() {
  local dir=${LIBVIRTD_QEMU_DIR:-}
  [ -n "$dir" ] || return 0
  if [ -S "$dir/sock/libvirt-sock" ]; then
    for dom in $(virsh -q -c "$LIBVIRTD_QEMU_URI" list --name 2>/dev/null); do
      virsh -q -c "$LIBVIRTD_QEMU_URI" destroy "$dom" >/dev/null 2>&1 || true
    done
  fi
  local pid
  for f in "$dir/libvirtd.pid" "$dir/virtlogd.pid" "$dir"/run/qemu/*.pid; do
    pid=$(cat "$f" 2>/dev/null) || continue
    kill "$pid" 2>/dev/null || true
  done
  for f in "$dir/libvirtd.pid" "$dir/virtlogd.pid"; do
    pid=$(cat "$f" 2>/dev/null) || continue
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
  done
  LIBVIRTD_QEMU_DIR=
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  dir=$(mktemp -d)
  trap 'libvirtd_qemu_stop; rm -rf "$dir"' EXIT
  libvirtd_qemu_start "$dir"
  echo "$LIBVIRTD_QEMU_URI"
  read -r -p "press Enter to stop it" _
fi
