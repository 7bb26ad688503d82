#!/usr/bin/env bash
# Image benchmarks, native vs qemu-img as a process, side by side in each run (short job): 10-deep backing chain
# info, and qcow2 overlay creation. Runs ROUNDS rounds (default 5) and prints the median ratio of each benchmark to
# its category's baseline (the native code) with its spread. usage: scripts/bench-images.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
command -v qemu-img >/dev/null || scripts/install-deps.sh
dotnet run -c Release --project tests/Virt.Benchmarks -- --filter '*ImageBenchmarks*' --job short --rounds "${1:-5}"
