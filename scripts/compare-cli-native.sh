#!/usr/bin/env bash
# virt published with Native AOT against virsh 9.0 on test:///default, side by side in one run:
#  - one command per process (domstate, list --all, snapshot-list, dumpxml), PROCS processes per command and round:
#    wall time per process and peak RSS (/usr/bin/time); the framework-dependent virt (dotnet virt.dll) is timed too,
#    with a quarter as many processes (it is the slow one);
#  - the 8,000-command script of compare-cli-virsh.sh (list, domstate, snapshot-create-as, snapshot-list, dominfo:
#    1,600 snapshots) in one process: wall time and peak RSS.
# ROUNDS rounds (default 5), alternating which side goes first; prints each round, then per line the medians, the
# median of the per-round ratios virt/virsh and their spread (min–max). Outputs are compared (timestamps masked).
# usage: scripts/compare-cli-native.sh [ROUNDS] [PROCS] [SCRIPT_COMMANDS]
# VIRT_NATIVE=path/to/virt skips the publish (otherwise: dotnet publish samples/Virt.Cli -r linux-x64, Native AOT).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
procs=${2:-20}
jit_procs=$(( procs / 4 > 0 ? procs / 4 : 1 ))
n=${3:-8000}
scripts/install-deps.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
native=${VIRT_NATIVE:-}
if [ -z "$native" ]; then
  dotnet publish samples/Virt.Cli -c Release -r linux-x64 -o "$work/native" -v q -nologo >/dev/null
  native="$work/native/virt"
fi
dotnet build samples/Virt.Cli -c Release -v q -nologo >/dev/null
jit=(dotnet samples/Virt.Cli/bin/Release/net10.0/virt.dll)

for ((i = 0; i < n; i++)); do
  case $((i % 5)) in
    0) echo "list --all" ;;
    1) echo "domstate test --reason" ;;
    2) echo "snapshot-create-as test s$i" ;;
    3) echo "snapshot-list test --name" ;;
    4) echo "dominfo test" ;;
  esac
done > "$work/script"

# runs "$@" PROCS times (or once with the script on stdin); prints "MS_PER_PROCESS PEAK_RSS_KB" (peak: the highest
# of the processes); the output of the last run is kept in $work/out.
measure() {
  local count=$1 input=$2; shift 2
  local start end peak=0 rss
  start=$(date +%s%N)
  for ((p = 0; p < count; p++)); do
    /usr/bin/time -f '%M' -o "$work/rss" "$@" < "$input" > "$work/out" 2>&1 || true
    rss=$(tail -n 1 "$work/rss"); ((rss > peak)) && peak=$rss
  done
  end=$(date +%s%N)
  awk -v ns=$((end - start)) -v c="$count" -v kb="$peak" 'BEGIN { printf "%.1f %d\n", ns / c / 1e6, kb }'
}
digest() { sed -E 's/^(virt|virsh) # //' "$work/out" | grep -v -E 'CPU time|creationTime|Creation Time' | md5sum | cut -c1-8; }

commands=("domstate test" "list --all" "snapshot-list test" "dumpxml test")
results="$work/results"   # lines: ROUND|CASE|SIDE|MS|KB|DIGEST
: > "$results"
side_run() {   # round case side count input cmd...
  local r=$1 c=$2 s=$3 count=$4 input=$5; shift 5
  local m; m=$(measure "$count" "$input" "$@")
  echo "$r|$c|$s|${m% *}|${m#* }|$(digest)" >> "$results"
}
echo "rounds: $rounds, processes per command and round: $procs, script: $n commands; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((r = 1; r <= rounds; r++)); do
  for cmd in "${commands[@]}"; do
    if ((r % 2)); then order=(virsh native jit); else order=(jit native virsh); fi
    for s in "${order[@]}"; do
      case $s in
        virsh) side_run "$r" "$cmd" virsh "$procs" /dev/null virsh -q -c test:///default "$cmd" ;;
        native) side_run "$r" "$cmd" native "$procs" /dev/null "$native" -q -c test:///default "$cmd" ;;
        jit) side_run "$r" "$cmd" jit "$jit_procs" /dev/null "${jit[@]}" -q -c test:///default "$cmd" ;;
      esac
    done
  done
  if ((r % 2)); then order=(virsh native); else order=(native virsh); fi
  for s in "${order[@]}"; do
    case $s in
      virsh) side_run "$r" "script" virsh 1 "$work/script" virsh -q -c test:///default ;;
      native) side_run "$r" "script" native 1 "$work/script" "$native" -q -c test:///default ;;
    esac
  done
  awk -F'|' -v r="$r" '$1 == r { printf "round %s  %-20s %-6s %8.1f ms %7d KB  output %s\n", $1, $2, $3, $4, $5, $6 }' "$results"
done

echo
echo "medians over $rounds rounds (ratio: median of the per-round ratios, spread min–max); time per process, peak RSS"
printf '%-20s %-16s %-16s %-16s %-22s %s\n' "case" "virsh" "virt native" "virt dotnet" "native/virsh time" "native/virsh memory"
for c in "${commands[@]}" script; do
  awk -F'|' -v c="$c" '
    function median(a, k,   i, j, t) { for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                                       return (k % 2) ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2 }
    function lo(a, k,   i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] < m) m = a[i]; return m }
    function hi(a, k,   i, m) { m = a[1]; for (i = 2; i <= k; i++) if (a[i] > m) m = a[i]; return m }
    $2 == c { ms[$3, $1] = $4; kb[$3, $1] = $5; if ($1 > rounds) rounds = $1; if ($3 == "jit") hasjit = 1 }
    END {
      for (r = 1; r <= rounds; r++) {
        vt[r] = ms["virsh", r]; nt[r] = ms["native", r]; jt[r] = ms["jit", r]; vk[r] = kb["virsh", r]; nk[r] = kb["native", r]; jk[r] = kb["jit", r]
        tr[r] = nt[r] / vt[r]; mr[r] = nk[r] / vk[r]
      }
      jit = hasjit ? sprintf("%.1f ms %.0f MB", median(jt, rounds), median(jk, rounds) / 1024) : "-"
      printf "%-20s %-16s %-16s %-16s %-22s %s\n", c, sprintf("%.1f ms %.0f MB", median(vt, rounds), median(vk, rounds) / 1024),
        sprintf("%.1f ms %.0f MB", median(nt, rounds), median(nk, rounds) / 1024), jit,
        sprintf("%.2fx (%.2f-%.2f)", median(tr, rounds), lo(tr, rounds), hi(tr, rounds)), sprintf("%.2fx (%.2f-%.2f)", median(mr, rounds), lo(mr, rounds), hi(mr, rounds))
    }' "$results"
done
echo
echo "outputs: $(awk -F'|' '{ d[$1 "|" $2] = d[$1 "|" $2] " " $6 } END { bad = 0; for (k in d) { split(d[k], x, " "); for (i in x) if (x[i] != x[1]) bad++ } print (bad ? "DIFFER (see the rounds)" : "equal on every line (timestamps masked)") }' "$results")"
