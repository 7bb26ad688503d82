#!/usr/bin/env bash
# Regenerates the expected outputs of a domain XML corpus: for every input
# tests/Virt.Core.Tests/Conf/$CORPUS/NAME.xml (CORPUS defaults to Corpus), writes NAME.expected.xml with what
# libvirt's own formatter prints for it (virsh -c test:///default define + dumpxml --inactive). Needs virsh
# (libvirt-clients); no daemon. The tests compare against the committed files, not against virsh.
# In the Corpus folder a document virsh refuses stops the script; in any other folder virsh's error is
# kept as NAME.refused.txt (the test then expects Virt to refuse it with the same error code).
# Usage: [CORPUS=DeviceCorpus] scripts/capture-virsh-domxml.sh [NAME.xml...]
set -euo pipefail
corpus=${CORPUS:-Corpus}
cd "$(dirname "$0")/../tests/Virt.Core.Tests/Conf/$corpus"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(*.xml)
for f in "${files[@]}"; do
  f=$(basename "$f")
  case "$f" in *.expected.xml) continue ;; esac
  uuid=$(sed -n "s:.*<uuid>\([^<]*\)</uuid>.*:\1:p" "$f" | head -n 1)
  out="${f%.xml}.expected.xml"
  refused="${f%.xml}.refused.txt"
  if virsh -q -c test:///default "define $f; dumpxml --inactive $uuid" > "$out.tmp" 2> "$out.err"; then
    mv "$out.tmp" "$out"; rm -f "$out.err" "$refused"
    echo "captured $out"
  elif [ "$corpus" != Corpus ]; then
    rm -f "$out.tmp" "$out"; mv "$out.err" "$refused"
    echo "virsh refused $f: $(head -n 1 "$refused")"
  else
    echo "virsh refused $f:" >&2; cat "$out.err" >&2; rm -f "$out.tmp" "$out.err"; exit 1
  fi
done
