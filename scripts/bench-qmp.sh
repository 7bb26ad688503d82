#!/usr/bin/env bash
# Compares the QMP client with a minimal raw-socket loop against one QEMU (query-status round trips,
# Ratio column; target <= 1.2), then measures client throughput with 1, 4 and 16 concurrent callers.
# Short in-process BenchmarkDotNet runs; needs qemu-system-x86_64. Extra arguments go to BenchmarkDotNet.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet run -c Release --project tests/Virt.Benchmarks -- --filter '*Virt.Benchmarks.Qmp.*' "$@"
