#!/usr/bin/env bash
# The test command: installs what is missing, then builds and runs every test in Release.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
dotnet test Virt.sln -c Release "$@"
