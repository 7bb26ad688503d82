#!/usr/bin/env bash
# Regenerates the expected outputs of the test-driver defaults corpus: for every input
# tests/Virt.Testing.Tests/Defaults/NAME.xml (which leaves out what the test driver fills in),
# writes NAME.expected.xml with what libvirt's test driver makes of it
# (virsh -c test:///default define + dumpxml --inactive), generated UUIDs and MACs masked as
# UUID and MAC. Needs virsh (libvirt-clients); no daemon.
# Usage: scripts/capture-virsh-testdriver.sh [NAME.xml...]
set -euo pipefail
cd "$(dirname "$0")/../tests/Virt.Testing.Tests/Defaults"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.xml)
for f in "${files[@]}"; do
  f=$(basename "$f")
  case "$f" in *.expected.xml) continue ;; esac
  name=$(sed -n 's:.*<name>\([^<]*\)</name>.*:\1:p' "$f" | head -n 1)
  out="${f%.xml}.expected.xml"
  virsh -q -c test:///default "define $f; dumpxml --inactive $name" \
    | sed -E "s#<uuid>[0-9a-f-]{36}</uuid>#<uuid>UUID</uuid>#; s#52:54:00(:[0-9a-f]{2}){3}#MAC#" > "$out"
  echo "captured $out"
done
