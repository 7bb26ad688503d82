#!/usr/bin/env bash
# Image benchmarks, native vs qemu-img as a process, side by side in one run (short job):
# 10-deep backing chain info, and qcow2 overlay creation. Ratios are in the "Ratio" column.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v qemu-img >/dev/null || scripts/install-deps.sh
dotnet run -c Release --project tests/Virt.Benchmarks -- --filter '*ImageBenchmarks*' --job short "$@"
