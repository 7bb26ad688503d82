#!/usr/bin/env bash
# Records every public symbol the PublicApiAnalyzers report as undeclared (RS0016) in the
# project's PublicAPI.Unshipped.txt. Usage: scripts/update-public-api.sh src/Virt.Core
set -euo pipefail
proj=${1:?project folder}
out=$(dotnet build "$proj" --no-incremental -p:TreatWarningsAsErrors=false 2>&1 || true)
file="$proj/PublicAPI.Unshipped.txt"
printf '%s\n' "$out" | grep "RS0016" | grep -F "[$(cd "$proj" && pwd)/" \
  | sed -E "s/.*Symbol '(.*)' is not part of the declared public API.*/\1/" \
  | sort -u > /tmp/public-api-new.$$ || true
{ grep -v '^#nullable' "$file" || true; cat /tmp/public-api-new.$$; } | sed '/^$/d' | sort -u > /tmp/public-api-all.$$
{ echo '#nullable enable'; cat /tmp/public-api-all.$$; } > "$file"
rm -f /tmp/public-api-new.$$ /tmp/public-api-all.$$
echo "$(grep -vc '^#nullable' "$file") symbols in $file"
