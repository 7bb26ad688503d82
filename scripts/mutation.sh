#!/usr/bin/env bash
# Mutation testing with Stryker.NET (the local tool in .config/dotnet-tools.json), scoped to the code whose bugs
# matter most: the qcow2 reader, the snapshot tree and store, QMP framing and the atomic writers (mutation/*.json).
# Not part of CI: it takes long. It runs on a copy of the work tree (tracked and new files, nothing ignored) in a
# scratch folder, so it never swaps
# mutated assemblies into this tree's build output, and copies the reports to artifacts/mutation/PROJECT/.
#   scripts/mutation.sh                    all three projects
#   scripts/mutation.sh Virt.Qemu [...]    only those (Virt.Core, Virt.Snapshot, Virt.Qemu)
# CONCURRENCY=N sets Stryker's test runners (default 1: the machine is shared); MUTATE="glob ..." narrows the
# files mutated for a quicker run (globs relative to the project, as in the configs).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
projects=("$@")
[ ${#projects[@]} -gt 0 ] || projects=(Virt.Core Virt.Snapshot Virt.Qemu)
scratch=$(mktemp -d /tmp/virt-mutation.XXXXXX)
# A run that is stopped keeps Stryker's logs (the scratch copy goes): copied to artifacts/mutation/PROJECT/logs.
keep_logs() { for p in "${projects[@]}"; do [ ! -d "$scratch/out/$p/logs" ] || { mkdir -p "artifacts/mutation/$p"; cp -r "$scratch/out/$p/logs" "artifacts/mutation/$p/"; }; done; }
trap 'keep_logs; rm -rf "$scratch"' EXIT
git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C "$scratch"
# Stryker's perTest coverage credits each mutant to the test running when it is reached. NUnit fixtures marked
# Parallelizable (Virt.Qemu.Tests has several) run side by side, so that record can name the wrong tests (in the
# first QMP run the per-thread JSON writer's first-use line was credited to four cancellation tests only). In the
# scratch copy only, the test projects run one test at a time (the filtered Virt.Qemu tests take no longer).
for p in "${projects[@]}"; do
  [ ! -d "$scratch/tests/$p.Tests" ] || printf '[assembly: NUnit.Framework.LevelOfParallelism(1)]\n' > "$scratch/tests/$p.Tests/MutationOneTestAtATime.cs"
done
dotnet tool restore >/dev/null
for p in "${projects[@]}"; do
  [ -f "mutation/$p.json" ] || { echo "no config mutation/$p.json" >&2; exit 2; }
  echo "== $p"
  narrow=()
  for glob in ${MUTATE-}; do narrow+=(-m "$glob"); done
  (cd "$scratch/src/$p" && dotnet tool run dotnet-stryker -- -f "$scratch/mutation/$p.json" -c "${CONCURRENCY:-1}" -O "$scratch/out/$p" -L "${narrow[@]}") || status=$?
  mkdir -p "artifacts/mutation/$p"
  cp -r "$scratch/out/$p/logs" "artifacts/mutation/$p/" 2>/dev/null || true
  [ -z "${status-}" ] || { echo "Stryker failed ($status); its log is in artifacts/mutation/$p/logs" >&2; exit "$status"; }
  cp -r "$scratch/out/$p/reports/." "artifacts/mutation/$p/"
  grep -o 'mutation score[^|]*|[^|]*' "artifacts/mutation/$p/mutation-report.md" 2>/dev/null | head -1 || true
done
