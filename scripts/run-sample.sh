#!/usr/bin/env bash
# The main job: installs what is missing, then runs the quickstart sample, which shows the
# library at work (domains and snapshots through the public API).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dotnet run --project samples/Virt.Quickstart -c Release -- "$@"
