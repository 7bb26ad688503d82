#!/usr/bin/env bash
# Runs the same script of N commands (default 1000) against test:///default through virsh 9.0 and
# through virt, side by side, ROUNDS times (default 5, alternating which goes first), and prints each
# round's wall times and ratio, then the median ratio with its spread (min–max). Outputs are compared too.
# usage: scripts/compare-cli-virsh.sh [N] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
rounds=${2:-5}
scripts/install-deps.sh
dotnet build -c Release samples/Virt.Cli -v q -nologo >/dev/null
virt=(dotnet "samples/Virt.Cli/bin/Release/net10.0/virt.dll")
script=$(mktemp); out=$(mktemp)
trap 'rm -f "$script" "$out"' EXIT
for ((i = 0; i < n; i++)); do
  case $((i % 5)) in
    0) echo "list --all" ;;
    1) echo "domstate test --reason" ;;
    2) echo "snapshot-create-as test s$i" ;;
    3) echo "snapshot-list test --name" ;;
    4) echo "dominfo test" ;;
  esac
done > "$script"
run() { local start end; start=$(date +%s%N); "$@" < "$script" > "$out" 2>&1 || true; end=$(date +%s%N); echo $(( (end - start) / 1000000 )); }
digest() { sed "s/^$1 # //" "$out" | grep -v -E 'CPU time|creationTime|Creation Time' | md5sum; }
ratios=()
echo "commands: $n, rounds: $rounds"
for ((r = 1; r <= rounds; r++)); do
  if ((r % 2)); then
    virsh_ms=$(run virsh -q -c test:///default); virsh_out=$(digest virsh)
    virt_ms=$(run "${virt[@]}" -q -c test:///default); virt_out=$(digest virt)
  else
    virt_ms=$(run "${virt[@]}" -q -c test:///default); virt_out=$(digest virt)
    virsh_ms=$(run virsh -q -c test:///default); virsh_out=$(digest virsh)
  fi
  ratio=$(awk -v a="$virt_ms" -v b="$virsh_ms" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')
  ratios+=("$ratio")
  same=$([ "$virsh_out" = "$virt_out" ] && echo equal || echo DIFFER)
  echo "round $r: virsh ${virsh_ms} ms, virt ${virt_ms} ms, virt/virsh ${ratio}, outputs ${same} (timestamps masked)"
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{ v[NR] = $1 } END {
  m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
  printf "median ratio virt/virsh: %.2f (spread %.2f–%.2f over %d rounds)\n", m, v[1], v[NR], NR }'
