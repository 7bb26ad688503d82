#!/usr/bin/env bash
# Runs the same script of N commands (default 1000) against test:///default through virsh 9.0 and
# through virt, side by side, and prints wall times and their ratio. Outputs are compared too.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
scripts/install-deps.sh
dotnet build -c Release samples/Virt.Cli -v q -nologo >/dev/null
virt=(dotnet "samples/Virt.Cli/bin/Release/net10.0/virt.dll")
script=$(mktemp)
trap 'rm -f "$script"' EXIT
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
out=$(mktemp); virsh_ms=$(run virsh -q -c test:///default); virsh_out=$(sed 's/^virsh # //' "$out" | grep -v -E 'CPU time|creationTime|Creation Time' | md5sum)
virt_ms=$(run "${virt[@]}" -q -c test:///default); virt_out=$(sed 's/^virt # //' "$out" | grep -v -E 'CPU time|creationTime|Creation Time' | md5sum)
rm -f "$out"
echo "commands: $n"
echo "virsh: ${virsh_ms} ms"
echo "virt:  ${virt_ms} ms"
awk -v a="$virt_ms" -v b="$virsh_ms" 'BEGIN { printf "ratio virt/virsh: %.2f\n", (b > 0 ? a / b : 0) }'
[ "$virsh_out" = "$virt_out" ] && echo "outputs: equal (timestamps masked)" || echo "outputs: differ"
