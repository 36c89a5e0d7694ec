#!/usr/bin/env bash
# Whole-process time of `kanbao find` against `kanbao headlines | fzf --filter` on the same
# generated archive (2,000 issues by default), median of 5 runs each, for Chinese and pinyin
# queries, with kanbao's peak RSS: once parsing every file (--no-index) and once warm, the
# on-disk index in place (`find` then maps its headline index; the pipeline reads the summary
# index).
# usage: benches/find_vs_fzf.sh [ISSUES] [QUERY...]
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-2000}
shift || true
queries=("$@")
[ ${#queries[@]} -gt 0 ] || queries=(数字化转型 曹县 shuzi cx)
if ! command -v fzf >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fzf >/dev/null; else sudo apt-get install -y -qq fzf >/dev/null; fi
fi
cargo build --release -q --bin kanbao --example gen_archive
dir=${KANBAO_BENCH_WORK:-$(mktemp -d)}
[ -n "${KANBAO_BENCH_WORK:-}" ] || trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME="$dir/cache"
archive="$dir/archive-$issues"
[ -d "$archive" ] || target/release/examples/gen_archive "$issues" "$archive" >/dev/null
kanbao=target/release/kanbao
median() {  # median wall time in ms of running "$@" five times
  local times=()
  for _ in 1 2 3 4 5; do
    local start end
    start=$(date +%s%N)
    "$@" > /dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}
peak_kb() {  # peak resident memory in KB of one run of "$@"
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1
  else
    echo "?"
  fi
}
headlines=$("$kanbao" headlines "$archive" | wc -l)
"$kanbao" find x "$archive" > /dev/null  # the indexes in place
echo "archive: $issues issues, $headlines headlines ($(date -u +%Y-%m-%d))"
printf '%-14s %-12s %10s %10s %8s %12s\n' mode query "find ms" "fzf ms" ratio "find peak"
for mode in --no-index ""; do
  for query in "${queries[@]}"; do
    find_ms=$(median "$kanbao" find $mode "$query" "$archive" --limit 50)
    fzf_ms=$(median sh -c "$kanbao headlines $mode '$archive' | fzf --filter '$query' | head -50")
    rss=$(peak_kb "$kanbao" find $mode "$query" "$archive" --limit 50)
    ratio=$(awk "BEGIN { printf \"%.2f\", $find_ms / ($fzf_ms > 0 ? $fzf_ms : 1) }")
    printf '%-14s %-12s %10s %10s %8s %9s KB\n' "${mode:-index}" "$query" "$find_ms" "$fzf_ms" "$ratio" "$rss"
  done
done
