#!/usr/bin/env bash
# Captures the live XML of the domain XML corpora: for every input tests/Virt.Core.Tests/Conf/{Corpus,DeviceCorpus}/NAME.xml
# that virsh accepts (NAME.expected.xml exists), writes NAME.live.xml with what virsh 9.0 prints for the running
# domain on test:///default (define, start unless it already runs, dumpxml), or NAME.live-refused.txt with virsh's error when it will not
# start. Needs virsh (libvirt-clients); no daemon. Virt.Testing.Tests compares its test driver against these files.
# Usage: scripts/capture-virsh-domxml-live.sh [NAME.xml...] (names are looked up in both folders)
set -euo pipefail
cd "$(dirname "$0")/../tests/Virt.Core.Tests/Conf"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=(Corpus/*.xml DeviceCorpus/*.xml)
for f in "${files[@]}"; do
  case "$f" in */*) ;; *) if [ -f Corpus/"$f" ]; then f=Corpus/$f; else f=DeviceCorpus/$f; fi ;; esac
  case "$f" in *.expected.xml|*.live.xml|"") continue ;; esac
  [ -f "${f%.xml}.expected.xml" ] || continue
  uuid=$(sed -n "s:.*<uuid>\([^<]*\)</uuid>.*:\1:p" "$f" | head -n 1)
  out="${f%.xml}.live.xml"
  refused="${f%.xml}.live-refused.txt"
  start="start $uuid;"
  # Redefining the driver's own default domain keeps it running: it is dumped as it runs.
  [ "$(virsh -q -c test:///default "define $f; domstate $uuid" 2>/dev/null | tail -n 1)" = running ] && start=
  if virsh -q -c test:///default "define $f; $start dumpxml $uuid" > "$out.tmp" 2> "$out.err" && [ ! -s "$out.err" ]; then
    mv "$out.tmp" "$out"; rm -f "$out.err" "$refused"
  else
    rm -f "$out.tmp" "$out"; mv "$out.err" "$refused"
    echo "virsh would not run $f: $(head -n 1 "$refused")"
  fi
done
