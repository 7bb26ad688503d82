#!/usr/bin/env bash
# Regenerates the expected output of the virt CLI golden tests by running each case through the
# real virsh (Debian libvirt-clients 9.0) against libvirt's test driver, which needs no daemon.
#
# A case is a base name under tests/Virt.Cli.Tests/Golden/ with one or more of:
#   NAME.cmd    the whole file is ONE argument (a command string: ';' and newlines separate commands)
#   NAME.argv   arguments, one per line
#   NAME.stdin  fed to standard input (else /dev/null)
# virsh always gets '-c test:///default' first, runs in Golden/files/, and writes
#   NAME.out (stdout), NAME.err (stderr), NAME.rc (exit status).
# Usage: scripts/capture-virsh-golden.sh [NAME...]
set -euo pipefail

golden="$(cd "$(dirname "$0")/../tests/Virt.Cli.Tests/Golden" && pwd)"
command -v virsh >/dev/null || { echo "virsh not found: apt-get install libvirt-clients" >&2; exit 1; }
export LC_ALL=C LANG=C
unset LIBVIRT_DEFAULT_URI VIRSH_DEFAULT_CONNECT_URI VIRT_DEFAULT_URI
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_CONFIG_HOME="$home/.config" XDG_CACHE_HOME="$home/.cache"

if [ $# -gt 0 ]; then
  names=("$@")
else
  mapfile -t names < <(cd "$golden" && ls -1 ./*.cmd ./*.argv ./*.stdin 2>/dev/null | sed -e 's|^\./||' -e 's|\.[a-z]*$||' | sort -u)
fi

cd "$golden/files"
for name in "${names[@]}"; do
  args=(-c test:///default)
  if [ -f "$golden/$name.argv" ]; then
    while IFS= read -r line || [ -n "$line" ]; do args+=("$line"); done < "$golden/$name.argv"
  fi
  if [ -f "$golden/$name.cmd" ]; then
    text="$(cat "$golden/$name.cmd"; printf x)"
    args+=("${text%x}")
  fi
  input=/dev/null
  [ -f "$golden/$name.stdin" ] && input="$golden/$name.stdin"
  set +e
  virsh "${args[@]}" < "$input" > "$golden/$name.out" 2> "$golden/$name.err"
  echo $? > "$golden/$name.rc"
  set -e
  echo "$name: exit $(cat "$golden/$name.rc")"
done
