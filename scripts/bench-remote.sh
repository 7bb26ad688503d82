#!/usr/bin/env bash
# Virt.Remote side by side with the alternatives, on one throwaway libvirtd serving test:///default over TCP
# (started here in a temp folder, never the system's), ROUNDS times (default 5):
#   - N DOMAIN_GET_STATE round trips through Virt.Remote on one connection (default N=1000),
#   - the same through a raw socket loop (the floor; target: Virt.Remote <= 1.2x); both warmed up to steady state
#     (at least 1 s and 2,000 calls each), then timed in 10 alternating blocks,
#   - connect time (open + close) through Virt.Remote,
#   - `virsh -c URI domstate test`, one process per call (P calls, default 50),
#   - `virsh -c URI` running N `domstate test` commands in one process.
# Prints each round (with the Virt.Remote / raw ratio and the load average), then per measurement the median per call
# with its spread (min-max) and the ratio to raw, then the median and spread of the per-round ratio.
# usage: scripts/bench-remote.sh [N] [ROUNDS] [P]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
rounds=${2:-5}
p=${3:-50}
scripts/install-deps.sh
dotnet build -c Release tests/Virt.Benchmarks -v q -nologo >/dev/null
dir=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
mkdir "$dir/drivers" "$dir/run"
cat > "$dir/libvirtd.conf" <<CONF
listen_tcp = 1
listen_tls = 0
tcp_port = "$port"
listen_addr = "127.0.0.1"
auth_tcp = "none"
auth_unix_rw = "none"
unix_sock_dir = "$dir/run"
CONF
LIBVIRT_DRIVER_DIR="$dir/drivers" libvirtd --listen -f "$dir/libvirtd.conf" -p "$dir/libvirtd.pid" >"$dir/log" 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null; wait "$daemon" 2>/dev/null; rm -rf "$dir"' EXIT
uri="test+tcp://127.0.0.1:$port/default"
for _ in $(seq 100); do virsh -q -c "$uri" uri >/dev/null 2>&1 && break; sleep 0.1; done
for ((i = 0; i < n; i++)); do echo "domstate test"; done > "$dir/script"
us_per() { awk -v ns="$1" -v k="$2" 'BEGIN { printf "%.1f", ns / 1000 / k }'; }
declare -A results
echo "daemon: libvirtd $(libvirtd --version | awk '{print $NF}') on 127.0.0.1:$port; N=$n, virsh processes P=$p, rounds=$rounds"
for ((r = 1; r <= rounds; r++)); do
  while read -r name value; do results[$name]+="$value "; done < <(dotnet tests/Virt.Benchmarks/bin/Release/net10.0/Virt.Benchmarks.dll remote-roundtrips 127.0.0.1 "$port" "$n")
  start=$(date +%s%N)
  for ((i = 0; i < p; i++)); do virsh -q -c "$uri" domstate test >/dev/null; done
  results[virsh-per-process]+="$(us_per $(( $(date +%s%N) - start )) "$p") "
  start=$(date +%s%N)
  virsh -q -c "$uri" < "$dir/script" >/dev/null
  results[virsh-one-process]+="$(us_per $(( $(date +%s%N) - start )) "$n") "
  results[ratio]+="$(awk -v a="$(echo ${results[virt-remote-getstate]} | awk '{print $NF}')" -v b="$(echo ${results[raw-socket-getstate]} | awk '{print $NF}')" 'BEGIN { printf "%.3f", a / b }') "
  line="round $r:"
  for name in virt-remote-getstate raw-socket-getstate virt-remote-connect virsh-per-process virsh-one-process; do
    line+=" $name $(echo ${results[$name]} | awk '{print $NF}') µs;"
  done
  echo "$line ratio $(echo ${results[ratio]} | awk '{print $NF}')x; load $(cut -d' ' -f1 /proc/loadavg)"
done
stats() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { printf "%s %s %s", v[int((NR + 1) / 2)], v[1], v[NR] }'; }
read -r raw_median _ _ <<<"$(stats "${results[raw-socket-getstate]}")"
echo "median per call (spread min-max), ratio to the raw loop:"
for name in virt-remote-getstate raw-socket-getstate virt-remote-connect virsh-per-process virsh-one-process; do
  read -r median lo hi <<<"$(stats "${results[$name]}")"
  printf '  %-22s %10s µs  (%s-%s)  %sx\n' "$name" "$median" "$lo" "$hi" "$(awk -v a="$median" -v b="$raw_median" 'BEGIN { printf "%.2f", a / b }')"
done
read -r median lo hi <<<"$(stats "${results[ratio]}")"
echo "Virt.Remote / raw, per round: median ${median}x (${lo}-${hi}x); load average now $(cut -d' ' -f1-3 /proc/loadavg)"
