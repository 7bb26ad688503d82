#!/usr/bin/env bash
# Virt's QEMU driver (qemu:///embed) side by side with libvirt 9.0's QEMU driver (a throwaway libvirtd, see
# scripts/bench-libvirtd-qemu.sh) and with a bare QEMU, on one VM definition (64 MiB, type='qemu', one qcow2 disk,
# no guest OS), ROUNDS times (default 5). Each round, in one run:
#   - in one .NET process (tests/Virt.Benchmarks qemu-lifecycle), REPS times in turn (default 3, the round keeps the
#     median): a bare QEMU launch to QMP-ready; define + start to running, state queried in-process (STATECALLS
#     calls, default 200), destroy, by Virt and by libvirtd (its RPC through Virt.Remote); then opening a root with
#     100 defined domains and listing them, Virt vs libvirtd;
#   - from new processes (`virt` published with Native AOT): `virt domstate` vs `virsh domstate` on a running domain (P calls each, default 20), and
#     `virt list --all` vs `virsh list --all` with 100 domains defined (5 calls each).
# Prints each round, then per measurement the median with its spread (min-max) and the per-round ratios' median
# with their spread, with the targets (issue 9 item 10).
# usage: scripts/compare-qemu-libvirtd.sh [ROUNDS] [REPS] [STATECALLS] [P]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
reps=${2:-3}
statecalls=${3:-200}
p=${4:-20}
scripts/install-deps.sh
dotnet build -c Release tests/Virt.Benchmarks -v q -nologo >/dev/null
source scripts/bench-libvirtd-qemu.sh
source scripts/bench-stats.sh
bench=(dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll)
dir=$(mktemp -d)
# `virt` as users install it (the Native AOT .NET tool, issue 14); VIRT_NATIVE=path skips the publish.
virt_cli=("${VIRT_NATIVE:-$dir/native/virt}")
[ -n "${VIRT_NATIVE:-}" ] || dotnet publish samples/Virt.Cli -c Release -r linux-x64 -o "$dir/native" -v q -nologo >/dev/null
work=$dir/work
root=$work/root
root100=$work/root100
cleanup() {
  set +e
  if [ -d "$root" ]; then
    for d in $("${virt_cli[@]}" -q -c "qemu:///embed?root=$root" list --name 2>/dev/null); do
      "${virt_cli[@]}" -q -c "qemu:///embed?root=$root" destroy "$d" >/dev/null 2>&1
    done
  fi
  libvirtd_qemu_stop
  rm -rf "$dir"
}
trap cleanup EXIT
libvirtd_qemu_start "$dir/libvirtd"
uri=$LIBVIRTD_QEMU_URI
mkdir -p "$work" "$root" "$root100" "$work/xml"
for img in bare virt libvirt ps-virt ps-libvirt; do qemu-img create -q -f qcow2 "$work/$img.qcow2" 1G; done
domain_xml() { # name disk
  local disk=""
  [ -n "$2" ] && disk="<disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$2'/><target dev='vda' bus='virtio'/></disk>"
  echo "<domain type='qemu'><name>$1</name><memory unit='MiB'>64</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator>$disk</devices></domain>"
}
for ((i = 0; i < 100; i++)); do
  name=$(printf 'h%03d' "$i")
  domain_xml "$name" "" > "$work/xml/$name.xml"
  echo "define $work/xml/$name.xml"
done > "$work/define-100"
virsh -q -c "$uri" < "$work/define-100" >/dev/null
"${virt_cli[@]}" -q -c "qemu:///embed?root=$root100" < "$work/define-100" >/dev/null
domain_xml ps-virt "$work/ps-virt.qcow2" > "$work/xml/ps-virt.xml"
domain_xml ps-libvirt "$work/ps-libvirt.qcow2" > "$work/xml/ps-libvirt.xml"
"${virt_cli[@]}" -q -c "qemu:///embed?root=$root" "define $work/xml/ps-virt.xml; start ps-virt" >/dev/null
virsh -q -c "$uri" "define $work/xml/ps-libvirt.xml; start ps-libvirt" >/dev/null

ms_per() { awk -v ns="$1" -v k="$2" 'BEGIN { printf "%.2f", ns / 1000000 / k }'; }
per_process() { # count command...: mean ms per process, after checking that the command works
  local k=$1 start
  shift
  "$@" >/dev/null
  start=$(date +%s%N)
  for ((i = 0; i < k; i++)); do "$@" >/dev/null; done
  ms_per $(( $(date +%s%N) - start )) "$k"
}
declare -A results
names=(bare-qemu-qmp-ready-ms virt-define-start-ms libvirt-define-start-ms virt-getstate-us libvirt-getstate-us
  virt-destroy-ms libvirt-destroy-ms virt-open-list-100-ms libvirt-open-list-100-ms
  virt-domstate-process-ms virsh-domstate-process-ms virt-list-100-process-ms virsh-list-100-process-ms)
echo "libvirtd $(libvirtd --version | awk '{print $NF}') (QEMU driver, private namespace), $(qemu-system-x86_64 --version | head -1)"
echo "rounds=$rounds, reps per round=$reps, in-process state calls=$statecalls, domstate processes=$p"
for ((r = 1; r <= rounds; r++)); do
  while read -r name value; do results[$name]+="$value "; done < <("${bench[@]}" qemu-lifecycle "$work" "$uri" "$reps" "$statecalls")
  if ((r % 2)); then
    results[virsh-domstate-process-ms]+="$(per_process "$p" virsh -q -c "$uri" domstate ps-libvirt) "
    results[virt-domstate-process-ms]+="$(per_process "$p" "${virt_cli[@]}" -q -c "qemu:///embed?root=$root" domstate ps-virt) "
  else
    results[virt-domstate-process-ms]+="$(per_process "$p" "${virt_cli[@]}" -q -c "qemu:///embed?root=$root" domstate ps-virt) "
    results[virsh-domstate-process-ms]+="$(per_process "$p" virsh -q -c "$uri" domstate ps-libvirt) "
  fi
  results[virsh-list-100-process-ms]+="$(per_process 5 virsh -q -c "$uri" list --all) "
  results[virt-list-100-process-ms]+="$(per_process 5 "${virt_cli[@]}" -q -c "qemu:///embed?root=$root100" list --all) "
  check_round "$r" "${names[@]}"
  line="round $r:"
  for name in "${names[@]}"; do line+=" $name=$(echo ${results[$name]} | awk '{print $NF}')"; done
  echo "$line"
done

echo
echo "median per measurement (spread min-max over $rounds rounds):"
for name in "${names[@]}"; do print_figure "$name"; done
echo "ratios (median of the per-round ratios, spread min-max):"
ratio "Virt define+start / bare QEMU to QMP-ready" virt-define-start-ms bare-qemu-qmp-ready-ms "target <= 1.3"
ratio "libvirtd define+start / bare QEMU to QMP-ready" libvirt-define-start-ms bare-qemu-qmp-ready-ms "(reference)"
ratio "libvirtd destroy / Virt destroy (Virt is N x faster)" libvirt-destroy-ms virt-destroy-ms "target >= 20"
ratio "Virt state in-process / libvirtd's" virt-getstate-us libvirt-getstate-us "target <= 1"
ratio "virt domstate / virsh domstate (new process each)" virt-domstate-process-ms virsh-domstate-process-ms "target <= 1"
ratio "Virt open+list 100 in-process / libvirtd's" virt-open-list-100-ms libvirt-open-list-100-ms "target <= 1"
ratio "virt list --all / virsh list --all, 100 domains" virt-list-100-process-ms virsh-list-100-process-ms "target <= 1"
