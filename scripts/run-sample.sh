#!/usr/bin/env bash
# The main job: installs what is missing, builds (or reuses) the tiny test guest, then runs two samples:
# Virt.RealVm boots a real VM through the QEMU driver (qemu:///embed, no daemon), shows its serial console (a counter),
# snapshots it while it counts, reverts it in place (the counter goes back) and shuts it down; Virt.Quickstart
# shows domains and snapshots on test:///default.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
guest=$(scripts/build-test-guest.sh | tail -n 1)
dotnet run --project samples/Virt.RealVm -c Release -- "$guest"
dotnet run --project samples/Virt.Quickstart -c Release -- "$@"
