#!/usr/bin/env bash
# Regenerates the expected outputs of the snapshot XML corpus (tests/Virt.Testing.Tests/Snapshots/Corpus): for every
# NAME.xml, defines domain.xml on a fresh virsh -c test:///default, runs snapshot-create --redefine NAME.xml (plain
# snapshot-create for NAME starting with NN-create-) and writes snapshot-dumpxml's output to NAME.expected.xml, with a
# plain create's creationTime (and a generated name) masked as TIME. A refusal is kept as NAME.refused.txt.
# Needs virsh (libvirt-clients); no daemon. Usage: scripts/capture-virsh-snapshotxml.sh [NAME.xml...]
set -euo pipefail
cd "$(dirname "$0")/../tests/Virt.Testing.Tests/Snapshots/Corpus"
files=("$@")
[ ${#files[@]} -gt 0 ] || files=([0-9]*.xml)
for f in "${files[@]}"; do
  f=$(basename "$f")
  case "$f" in *.expected.xml|domain.xml) continue ;; esac
  base="${f%.xml}"
  flag=--redefine
  case "$base" in [0-9]*-create-*) flag= ;; esac
  rm -f "$base.expected.xml" "$base.refused.txt"
  # virsh -c with several commands goes on after a failed one: a refusal shows as an error on stderr.
  out=$(virsh -q -c test:///default "define domain.xml; snapshot-create snapdom $f $flag; snapshot-list snapdom --name" 2> "$base.err" || true)
  if grep -q '^error:' "$base.err"; then
    grep '^error:' "$base.err" > "$base.refused.txt"; rm -f "$base.err"; echo "virsh refused $f: $(grep -v 'Failed to\|failed to' "$base.refused.txt" | head -n 1 || true)"
    continue
  fi
  name=$(printf '%s\n' "$out" | sed -n '/^Domain /d; /^$/d; p' | tail -n 1)
  virsh -q -c test:///default "define domain.xml; snapshot-create snapdom $f $flag; snapshot-dumpxml snapdom '$name'" \
    | sed -n '/<domainsnapshot>/,$p' > "$base.expected.xml"
  if [ -z "$flag" ]; then
    sed -i "s:<creationTime>[0-9]*</creationTime>:<creationTime>TIME</creationTime>:; s:<name>[0-9]\{10\}</name>:<name>TIME</name>:" "$base.expected.xml"
  fi
  rm -f "$base.err"; echo "captured $base.expected.xml"
done
