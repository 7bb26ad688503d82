#!/usr/bin/env bash
# Regenerates the expected outputs of the domain XML corpus: for every input
# tests/Virt.Core.Tests/Conf/Corpus/NAME.xml, writes NAME.expected.xml with what libvirt's own
# formatter prints for it (virsh -c test:///default define + dumpxml --inactive). Needs virsh
# (libvirt-clients); no daemon. The tests compare against the committed files, not against virsh.
# Usage: scripts/capture-virsh-domxml.sh [NAME.xml...]
set -euo pipefail
cd "$(dirname "$0")/../tests/Virt.Core.Tests/Conf/Corpus"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.xml)
for f in "${files[@]}"; do
  f=$(basename "$f")
  case "$f" in *.expected.xml) continue ;; esac
  uuid=$(sed -n "s:.*<uuid>\([^<]*\)</uuid>.*:\1:p" "$f" | head -n 1)
  out="${f%.xml}.expected.xml"
  if virsh -q -c test:///default "define $f; dumpxml --inactive $uuid" > "$out.tmp" 2> "$out.err"; then
    mv "$out.tmp" "$out"; rm -f "$out.err"
    echo "captured $out"
  else
    echo "virsh refused $f:" >&2; cat "$out.err" >&2; rm -f "$out.tmp" "$out.err"; exit 1
  fi
done
