#!/usr/bin/env bash
# Archive scale, measured against the tools people use: parse throughput of `kanbao list` against
# `cat` of the same files, and kanbao's peak RSS against the archive's size on disk, for
# generated archives of 1,000 and 10,000 issues. Each figure is a ratio measured in this run.
# usage: benches/scale.sh [SIZES...]   (default: 1000 10000)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000)
cargo build --release -q --bin kanbao --example gen_archive
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
best_ms() {  # fastest of three runs of "$@", in ms
  local best=
  for _ in 1 2 3; do
    local start end ms
    start=$(date +%s%N); "$@" > /dev/null; end=$(date +%s%N)
    ms=$(( (end - start) / 1000000 ))
    if [ -z "$best" ] || [ "$ms" -lt "$best" ]; then best=$ms; fi
  done
  echo "$best"
}
printf '%-8s %9s %12s %12s %14s %12s %12s\n' issues size_MB cat_MB/s kanbao_MB/s kanbao/cat peak_RSS_MB RSS/size
for n in "${sizes[@]}"; do
  dir="$work/a$n"
  target/release/examples/gen_archive "$n" "$dir" > /dev/null
  bytes=$(du -sb "$dir" | cut -f1)
  mb=$(awk "BEGIN { printf \"%.1f\", $bytes / 1e6 }")
  cat_ms=$(best_ms sh -c "find '$dir' -name '*.txt' -print0 | xargs -0 cat")
  kb_ms=$(best_ms target/release/kanbao list "$dir")
  rss_kb=$( { /usr/bin/time -f '%M' target/release/kanbao list "$dir" > /dev/null; } 2>&1 | tail -1)
  awk -v n="$n" -v mb="$mb" -v c="$cat_ms" -v k="$kb_ms" -v r="$rss_kb" 'BEGIN {
    cat_rate = mb / (c > 0 ? c : 1) * 1000; kb_rate = mb / (k > 0 ? k : 1) * 1000
    printf "%-8s %9s %12.0f %12.0f %14.2f %12.1f %12.2f\n", n, mb, cat_rate, kb_rate, kb_rate / cat_rate, r / 1024, (r / 1024) / mb }'
done
