#!/usr/bin/env bash
# Sourced by scripts/compare-qemu-*.sh: the median and spread of a round's figures, and of per-round ratios.
# The caller keeps its figures in the associative array `results`, one space-separated value per round, so
# that a ratio is always taken between two figures of the same round.

# stats "v1 v2 ...": prints "median min max".
stats() {
  tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END {
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%s %s %s", m, v[1], v[NR] }'
}

# check_round R NAME...: stops the script when a measurement has no value for round R (a failed benchmark
# process), so that ratios never pair figures of different rounds.
check_round() {
  local r=$1 name count
  shift
  for name in "$@"; do
    read -r -a values <<<"${results[$name]:-}"
    count=${#values[@]}
    if [ "$count" -ne "$r" ]; then
      echo "round $r: no value for $name; stopping" >&2
      exit 1
    fi
  done
}

# print_figure NAME: one line, the median of results[NAME] with its spread; "unsupported" if a round said so.
print_figure() {
  if [[ "${results[$1]}" == *unsupported* ]]; then
    printf '  %-28s %10s\n' "$1" "unsupported"
    return
  fi
  read -r m lo hi <<<"$(stats "${results[$1]}")"
  printf '  %-28s %10s  (%s-%s)\n' "$1" "$m" "$lo" "$hi"
}

# ratio LABEL NUMERATOR DENOMINATOR TARGET: the per-round ratios results[NUMERATOR] / results[DENOMINATOR], their
# median and spread, and the target.
ratio() {
  local -a a b
  read -r -a a <<<"${results[$2]}"
  read -r -a b <<<"${results[$3]}"
  if [[ "${results[$2]} ${results[$3]}" == *unsupported* ]]; then
    printf '  %-56s %7s   %s\n' "$1" "unsupported" "$4"
    return
  fi
  local values=""
  for ((i = 0; i < ${#a[@]}; i++)); do values+="$(awk -v x="${a[$i]}" -v y="${b[$i]}" 'BEGIN { printf "%.3f", x / y }') "; done
  read -r m lo hi <<<"$(stats "$values")"
  printf '  %-56s %7s  (%s-%s)   %s\n' "$1" "$m" "$lo" "$hi" "$4"
}
