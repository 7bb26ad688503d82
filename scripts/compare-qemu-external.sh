#!/usr/bin/env bash
# External snapshots of a running VM (64 MiB and 1 GiB, type='qemu', one qcow2 disk, no guest OS, so the guest RAM
# is the zero pages QEMU sends as flags), side by side in the same run, ROUNDS times (default 5), issue 11 item 6:
#   - external disk-only create: raw QMP blockdev-snapshot-sync on a QEMU started by hand, Virt (qemu:///embed,
#     in-process) CreateSnapshot(DiskOnly), and `virsh snapshot-create-as --disk-only` (one process each) on libvirt
#     9.0's QEMU driver (a throwaway libvirtd, scripts/bench-libvirtd-qemu.sh);
#   - memory snapshot create and revert: the raw migration sequence by hand (stop, getfd, migrate fd:, completed,
#     fsync, blockdev-snapshot-sync, cont; qemu-img create, a new QEMU -S -incoming defer, getfd, migrate-incoming
#     fd:, completed, cont) vs Virt's CreateSnapshot with an external memory file and its Revert;
#   - external revert (with memory; and of the disk-only snapshot with --running, a new QEMU that boots) vs internal
#     revert of the same Virt VM.
# A Virt operation the QEMU driver does not have yet is reported "unsupported" with the driver's message.
# usage: scripts/compare-qemu-external.sh [ROUNDS] [SIZES_MIB...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
shift $(( $# > 1 ? 1 : $# ))
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(64 1024)
scripts/install-deps.sh
dotnet build -c Release tests/Virt.Benchmarks -v q -nologo >/dev/null
source scripts/bench-libvirtd-qemu.sh
source scripts/bench-stats.sh
bench=(dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll)
dir=$(mktemp -d)
work=$dir/work
cleanup() {
  set +e
  for pidfile in "$work"/root/run/*/qemu.pid; do  # Virt's QEMUs left by an interrupted round
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null
  done
  libvirtd_qemu_stop
  rm -rf "$dir"
}
trap cleanup EXIT
libvirtd_qemu_start "$dir/libvirtd"
uri=$LIBVIRTD_QEMU_URI
mkdir -p "$work/root"
for size in "${sizes[@]}"; do
  qemu-img create -q -f qcow2 "$work/virsh-ext-$size.qcow2" 4G
  cat > "$work/virsh-ext-$size.xml" <<XML
<domain type='qemu'><name>virsh-ext-$size</name><memory unit='MiB'>$size</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$work/virsh-ext-$size.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>
XML
  virsh -q -c "$uri" "define $work/virsh-ext-$size.xml; start virsh-ext-$size" >/dev/null
done

ms() { local start; start=$(date +%s%N); "$@" >/dev/null; awk -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.1f", ns / 1000000 }'; }
declare -A results
declare -A unsupported
names=(raw-diskonly-ms virt-diskonly-ms virsh-diskonly-ms virt-diskrevert-ms raw-memcreate-ms virt-memcreate-ms raw-memrevert-ms virt-memrevert-ms virt-intrevert-ms)
echo "libvirtd $(libvirtd --version | awk '{print $NF}') (QEMU driver, private namespace), $(qemu-system-x86_64 --version | head -1)"
echo "rounds=$rounds, sizes (MiB): ${sizes[*]}"
for ((r = 1; r <= rounds; r++)); do
  for size in "${sizes[@]}"; do
    while read -r name value; do
      if [[ "$value" == unsupported* ]]; then
        unsupported[$name]=${value#unsupported: }
        value=unsupported
      fi
      results[$name@$size]+="$value "
    done < <("${bench[@]}" qemu-external "$work" "$size" "$r")
    results[virsh-diskonly-ms@$size]+="$(ms virsh -q -c "$uri" snapshot-create-as --disk-only "virsh-ext-$size" "d$r") "
    check_round "$r" $(for name in "${names[@]}"; do echo "$name@$size"; done)
    line="round $r, $size MiB:"
    for name in "${names[@]}"; do line+=" $name=$(echo ${results[$name@$size]} | awk '{print $NF}')"; done
    echo "$line"
    rm -rf "$work/ext-$size-$r"
  done
done

echo
for name in "${!unsupported[@]}"; do echo "$name unsupported: ${unsupported[$name]}"; done
for size in "${sizes[@]}"; do
  echo "$size MiB, median per measurement in ms (spread min-max over $rounds rounds):"
  for name in "${names[@]}"; do print_figure "$name@$size"; done
  echo "$size MiB, ratios (median of the per-round ratios, spread min-max):"
  ratio "Virt disk-only create / raw blockdev-snapshot-sync" "virt-diskonly-ms@$size" "raw-diskonly-ms@$size" ""
  ratio "virsh --disk-only / Virt disk-only create (Virt is N x faster)" "virsh-diskonly-ms@$size" "virt-diskonly-ms@$size" ""
  ratio "Virt memory snapshot create / raw migration sequence" "virt-memcreate-ms@$size" "raw-memcreate-ms@$size" ""
  ratio "Virt external revert / raw incoming sequence" "virt-memrevert-ms@$size" "raw-memrevert-ms@$size" ""
  ratio "Virt external revert / Virt internal revert (same VM)" "virt-memrevert-ms@$size" "virt-intrevert-ms@$size" ""
  ratio "Virt disk-only external revert, RUNNING / internal revert" "virt-diskrevert-ms@$size" "virt-intrevert-ms@$size" ""
done
