#!/usr/bin/env bash
# The test command: installs what is missing, builds, runs every test project in Release and
# prints one closing line "Tests: N passed, N failed, N skipped" summed over all projects.
# `scripts/test.sh --summarize DIR` only prints that line for the .trx files in DIR.
set -uo pipefail
cd "$(dirname "$0")/.."

# Passed and failed come from each trx's <Counters>. Skipped tests do not: NUnit's ignored and skipped
# tests are written as <UnitTestResult outcome="NotExecuted"> while the counter notExecuted stays 0,
# so they are counted from the results.
counter() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*' || echo 0; }
summarize() {
  local passed=0 failed=0 skipped=0 trx counters
  for trx in "$1"/*.trx; do
    [ -e "$trx" ] || continue
    counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
    passed=$((passed + $(counter passed)))
    failed=$((failed + $(counter failed)))
    skipped=$((skipped + $(grep -o '<UnitTestResult [^>]* outcome="NotExecuted"' "$trx" | wc -l)))
  done
  echo "Tests: $passed passed, $failed failed, $skipped skipped"
  [ "$passed" -gt 0 ]
}

if [ "${1-}" = "--summarize" ]; then
  summarize "$2"
  exit 0
fi

scripts/install-deps.sh || exit 1
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT
# Four MSBuild nodes: the CLI, remote, testing and AOT projects run beside the long QEMU tests, most of whose time is
# spent waiting on QEMU processes.
dotnet test Virt.sln -c Release -maxcpucount:4 --results-directory "$results" "$@"
status=$?
if ! summarize "$results" && [ "$status" -eq 0 ]; then
  echo "no test ran" >&2
  exit 1
fi
exit "$status"
