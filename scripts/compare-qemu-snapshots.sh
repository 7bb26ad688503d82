#!/usr/bin/env bash
# Internal snapshots of a running VM (64 MiB and 1 GiB, type='qemu', one qcow2 disk, no guest OS) side by side in
# the same run, ROUNDS times (default 5), issue 10 item 7:
#   - raw QMP on a QEMU started by hand: snapshot-save job; stop + snapshot-load job + cont, and the snapshot-load job
#     alone (QEMU stops and resumes the vCPUs itself: what Virt sends for a guest that runs on); snapshot-delete job;
#   - Virt (qemu:///embed, in-process): IVirtDomain.CreateSnapshot, IVirtDomainSnapshot.Revert, Delete;
#   - libvirt 9.0's QEMU driver (a throwaway libvirtd, scripts/bench-libvirtd-qemu.sh) through its RPC (Virt.Remote),
#   - and `virsh snapshot-create-as / snapshot-revert / snapshot-delete`, one process each, on the same daemon.
# Each round reverts REVERTS times (default 3) per side, in turn, and keeps the median. A Virt operation that the
# QEMU driver does not have yet is reported "unsupported" with the driver's message.
# usage: scripts/compare-qemu-snapshots.sh [ROUNDS] [REVERTS] [SIZES_MIB...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
reverts=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
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
for img in bare-snap virt-snap libvirt-snap; do qemu-img create -q -f qcow2 "$work/$img.qcow2" 4G; done
for size in "${sizes[@]}"; do
  qemu-img create -q -f qcow2 "$work/virsh-$size.qcow2" 4G
  cat > "$work/virsh-$size.xml" <<XML
<domain type='qemu'><name>virsh-$size</name><memory unit='MiB'>$size</memory><os><type arch='x86_64' machine='pc'>hvm</type></os><devices><emulator>/usr/bin/qemu-system-x86_64</emulator><disk type='file' device='disk'><driver name='qemu' type='qcow2'/><source file='$work/virsh-$size.qcow2'/><target dev='vda' bus='virtio'/></disk></devices></domain>
XML
  virsh -q -c "$uri" "define $work/virsh-$size.xml; start virsh-$size" >/dev/null
done

ms() { local start; start=$(date +%s%N); "$@" >/dev/null; awk -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf "%.1f", ns / 1000000 }'; }
declare -A results
declare -A unsupported
echo "libvirtd $(libvirtd --version | awk '{print $NF}') (QEMU driver, private namespace), $(qemu-system-x86_64 --version | head -1)"
echo "rounds=$rounds, reverts per round and side=$reverts, sizes (MiB): ${sizes[*]}"
for ((r = 1; r <= rounds; r++)); do
  for size in "${sizes[@]}"; do
    while read -r name value; do
      if [[ "$value" == unsupported* ]]; then
        unsupported[$name]=${value#unsupported: }
        value=unsupported
      fi
      results[$name@$size]+="$value "
    done < <("${bench[@]}" qemu-snapshots "$work" "$uri" "$size" "$reverts")
    results[virsh-create-ms@$size]+="$(ms virsh -q -c "$uri" snapshot-create-as "virsh-$size" s1) "
    results[virsh-revert-ms@$size]+="$(ms virsh -q -c "$uri" snapshot-revert "virsh-$size" s1) "
    results[virsh-delete-ms@$size]+="$(ms virsh -q -c "$uri" snapshot-delete "virsh-$size" s1) "
    check_round "$r" "rawload-revert-ms@$size" $(for name in raw virt libvirt virsh; do for op in create revert delete; do echo "$name-$op-ms@$size"; done; done)
    line="round $r, $size MiB:"
    for name in raw virt libvirt virsh; do
      for op in create revert delete; do line+=" $name-$op-ms=$(echo ${results[$name-$op-ms@$size]} | awk '{print $NF}')"; done
    done
    line+=" rawload-revert-ms=$(echo ${results[rawload-revert-ms@$size]} | awk '{print $NF}')"
    echo "$line"
  done
done

echo
for name in "${!unsupported[@]}"; do echo "$name unsupported (revert and delete need a created snapshot): ${unsupported[$name]}"; done
for size in "${sizes[@]}"; do
  echo "$size MiB, median per measurement in ms (spread min-max over $rounds rounds):"
  for name in raw virt libvirt virsh; do
    for op in create revert delete; do print_figure "$name-$op-ms@$size"; done
  done
  print_figure "rawload-revert-ms@$size"
  echo "$size MiB, ratios (median of the per-round ratios, spread min-max):"
  ratio "Virt revert / raw stop+snapshot-load+cont" "virt-revert-ms@$size" "raw-revert-ms@$size" "target <= 1.5"
  ratio "Virt revert / raw snapshot-load job alone" "virt-revert-ms@$size" "rawload-revert-ms@$size" ""
  ratio "libvirtd revert (RPC) / Virt revert (Virt is N x faster)" "libvirt-revert-ms@$size" "virt-revert-ms@$size" "target >= 100"
  ratio "virsh snapshot-revert / Virt revert (Virt is N x faster)" "virsh-revert-ms@$size" "virt-revert-ms@$size" "target >= 100"
  ratio "virsh snapshot-revert / raw sequence" "virsh-revert-ms@$size" "raw-revert-ms@$size" "(reference)"
  ratio "Virt create / raw snapshot-save" "virt-create-ms@$size" "raw-create-ms@$size" ""
  ratio "Virt create / libvirtd create (RPC)" "virt-create-ms@$size" "libvirt-create-ms@$size" ""
  ratio "Virt create / virsh snapshot-create-as" "virt-create-ms@$size" "virsh-create-ms@$size" ""
  ratio "Virt delete / raw snapshot-delete" "virt-delete-ms@$size" "raw-delete-ms@$size" ""
  ratio "Virt delete / libvirtd delete (RPC)" "virt-delete-ms@$size" "libvirt-delete-ms@$size" ""
  ratio "Virt delete / virsh snapshot-delete" "virt-delete-ms@$size" "virsh-delete-ms@$size" ""
done
