#!/usr/bin/env bash
# Builds the tiny test guest (a Debian cloud kernel and a busybox initramfs; see
# scripts/test-guest/README.md) into a cache folder, or reuses it when this script and the init
# have not changed since it was built. The folder is $VIRT_TEST_GUEST_DIR, else
# ${XDG_CACHE_HOME:-$HOME/.cache}/virt/test-guest; it holds vmlinuz, initramfs.cpio.gz and VERSION.
# Needs Debian (apt-get download, dpkg-deb) and Debian's mirrors; installs and compiles nothing.
# Progress goes to stderr; stdout is only the folder path. Usage: build-test-guest.sh [--force]
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
init_source="$here/test-guest/init"
out="${VIRT_TEST_GUEST_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/virt/test-guest}"
force=0
case "${1:-}" in
  "") ;;
  --force) force=1 ;;
  *) echo "usage: $0 [--force]" >&2; exit 2 ;;
esac

# The drivers the guest loads (with their dependencies, read from the modules themselves): virtio
# disks (virtio-blk, virtio-scsi), IDE on the pc machine, the ACPI power button as an input device.
modules=(virtio_pci virtio_blk virtio_scsi sd_mod sr_mod ata_piix button evdev)

script_hash="$(cat "$here/build-test-guest.sh" "$init_source" | sha256sum | cut -d' ' -f1)"

log() { echo "build-test-guest: $*" >&2; }

cache_is_current() {
  [ -s "$out/vmlinuz" ] && [ -s "$out/initramfs.cpio.gz" ] &&
    grep -qx "script-sha256=$script_hash" "$out/VERSION" 2>/dev/null
}

if [ "$force" = 0 ] && cache_is_current; then echo "$out"; exit 0; fi

parent="$(dirname "$out")"
mkdir -p "$parent"
exec 9>"$parent/.$(basename "$out").lock"
flock 9
# Another process may have built it while this one waited for the lock.
if [ "$force" = 0 ] && cache_is_current; then echo "$out"; exit 0; fi

# Leftovers of a killed build (SIGKILL, power loss); no other build runs while this holds the lock.
rm -rf "$parent/.$(basename "$out").new."*

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

work="$(mktemp -d "${TMPDIR:-/tmp}/virt-test-guest.XXXXXX")"
stage="$(mktemp -d "$parent/.$(basename "$out").new.XXXXXX")"
trap 'rm -rf "$work" "$stage" "$stage.old"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if ! apt-cache show linux-image-cloud-amd64 >/dev/null 2>&1; then
  log "no package lists: apt-get update"
  as_root apt-get update -qq >&2
fi
kernel_package="$(apt-cache depends linux-image-cloud-amd64 |
  awk '$1 == "Depends:" && $2 ~ /^linux-image-.*-cloud-amd64$/ { print $2; exit }')"
if [ -z "$kernel_package" ]; then
  log "cannot resolve linux-image-cloud-amd64 to a kernel package"
  exit 1
fi
kernel_release="${kernel_package#linux-image-}"

log "downloading $kernel_package and busybox-static"
mkdir "$work/debs"
# apt drops privileges to _apt for downloads; let it write there.
if [ "$(id -u)" -eq 0 ] && id _apt >/dev/null 2>&1; then
  chmod 0755 "$work"
  chown _apt "$work/debs"
fi
(cd "$work/debs" && apt-get download -q=2 "$kernel_package" busybox-static >&2)
kernel_deb="$(ls "$work/debs/${kernel_package}"_*.deb)"
busybox_deb="$(ls "$work/debs/"busybox-static_*.deb)"
dpkg-deb -x "$kernel_deb" "$work/kernel"
dpkg-deb -x "$busybox_deb" "$work/busybox"
kernel_version="$(dpkg-deb -f "$kernel_deb" Version)"
busybox_version="$(dpkg-deb -f "$busybox_deb" Version)"
busybox="$work/busybox/bin/busybox"

root="$work/root"
mkdir -p "$root"/{bin,dev,proc,sys,run,tmp,lib/modules}
cp "$busybox" "$root/bin/busybox"
for applet in $("$busybox" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
install -m 0755 "$init_source" "$root/init"
# The kernel opens /dev/console for init's stdio. Only root can make the node (and not in every
# container); without it the init reopens the console from devtmpfs.
[ "$(id -u)" -ne 0 ] || mknod -m 0600 "$root/dev/console" c 5 1 2>/dev/null || true

# Module name (dashes as underscores) -> file, then each wanted module after its dependencies.
kernel_modules="$work/kernel/lib/modules/$kernel_release"
declare -A module_file=() module_added=()
while IFS= read -r -d '' file; do
  name="$(basename "$file")"
  name="${name%%.ko*}"
  module_file["${name//-/_}"]="$file"
done < <(find "$kernel_modules" -name '*.ko' -print0 -o -name '*.ko.xz' -print0)
load_order=()
add_module() {
  local name="${1//-/_}" file dependency
  [ -z "${module_added[$name]:-}" ] || return 0
  module_added[$name]=1
  file="${module_file[$name]:-}"
  [ -n "$file" ] || { log "module $name is not in $kernel_package"; exit 1; }
  case "$file" in
    *.xz) "$busybox" xz -dc "$file" >"$root/lib/modules/$name.ko" ;;
    *) cp "$file" "$root/lib/modules/$name.ko" ;;
  esac
  # .modinfo holds NUL-separated key=value strings, among them depends=a,b.
  for dependency in $(tr '\0' '\n' <"$root/lib/modules/$name.ko" | sed -n 's/^depends=//p' |
    tr ',' ' '); do
    add_module "$dependency"
  done
  load_order+=("$name")
}
builtin="$kernel_modules/modules.builtin"
for module in "${modules[@]}"; do
  # A driver built into the kernel needs nothing in the initramfs.
  if grep -q "/${module//_/[-_]}\.ko\$" "$builtin" 2>/dev/null; then continue; fi
  add_module "$module"
done
printf '%s\n' "${load_order[@]}" >"$root/lib/modules/load-order"

(cd "$root" && find . | LC_ALL=C sort | "$busybox" cpio -o -H newc -R 0:0 2>/dev/null) |
  gzip -9 -n >"$stage/initramfs.cpio.gz"
cp "$work/kernel/boot/vmlinuz-$kernel_release" "$stage/vmlinuz"
cat >"$stage/VERSION" <<EOF
script-sha256=$script_hash
kernel-package=$kernel_package
kernel-version=$kernel_version
kernel-release=$kernel_release
busybox-version=$busybox_version
modules=${load_order[*]}
built=$(date -u +%Y-%m-%dT%H:%M:%SZ)
EOF
chmod 0755 "$stage"

# Publish: the old folder moves aside and the new one takes its place, so a reader sees a complete
# guest or none (only for the instant between the two renames when rebuilding).
if [ -e "$out" ]; then mv "$out" "$stage.old"; fi
mv "$stage" "$out"
log "built $kernel_package $kernel_version, busybox $busybox_version ($(du -sh "$out" | cut -f1))"
echo "$out"
