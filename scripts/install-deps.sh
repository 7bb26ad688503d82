#!/usr/bin/env bash
# Installs what Virt's tests and samples need on a fresh Debian machine that has the .NET SDK:
# QEMU (system emulator and image tools), OVMF firmware, libvirt's virsh as the reference, and libvirtd
# (Virt.Remote's tests start a throwaway one serving only the test driver), strace (the durability tests watch
# the fsync and rename calls the kernel receives), and clang with zlib1g-dev (Native AOT links `virt` and the AOT
# smoke app with them; the compiler itself, ILCompiler, comes from NuGet), and GNU time (scripts/compare-cli-native.sh
# reads each process's peak memory from /usr/bin/time).
set -euo pipefail
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
command -v qemu-img >/dev/null || need+=(qemu-utils)
[ -e /usr/share/OVMF/OVMF_CODE.fd ] || [ -e /usr/share/OVMF/OVMF_CODE_4M.fd ] || need+=(ovmf)
command -v virsh >/dev/null || need+=(libvirt-clients)
command -v libvirtd >/dev/null || need+=(libvirt-daemon)
command -v strace >/dev/null || need+=(strace)
command -v clang >/dev/null || need+=(clang)
dpkg -s zlib1g-dev >/dev/null 2>&1 || need+=(zlib1g-dev)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing: ${need[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
