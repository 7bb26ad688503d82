#!/usr/bin/env bash
# Snapshot tree at 1k/10k/100k snapshots (create, list with every filter, descendants of the root,
# delete a subtree of half the tree, load from disk): short BenchmarkDotNet job. The Allocated column
# growing x10 per step shows the O(n) behaviour. Extra arguments go to BenchmarkDotNet.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tests/Virt.Benchmarks -- --filter '*SnapshotTreeBenchmarks*' --job short "$@"
