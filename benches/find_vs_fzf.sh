#!/usr/bin/env bash
# Whole-process time of `kanbao find` against `kanbao headlines | fzf --filter` on the same
# generated archive (2,000 issues by default), median of 5 runs each: once parsing every file
# (--no-index) and once with the on-disk index warm (both commands read it).
# usage: benches/find_vs_fzf.sh [ISSUES] [QUERY]
set -euo pipefail
cd "$(dirname "$0")/.."
issues=${1:-2000}
query=${2:-曹县}
if ! command -v fzf >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq fzf >/dev/null; else sudo apt-get install -y -qq fzf >/dev/null; fi
fi
cargo build --release -q --bin kanbao --example gen_archive
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
export XDG_CACHE_HOME="$dir/cache"
target/release/examples/gen_archive "$issues" "$dir/archive"
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
headlines=$("$kanbao" headlines "$dir/archive" | wc -l)
echo "archive: $issues issues, $headlines headlines; query: $query"
for mode in --no-index ""; do
  find_ms=$(median "$kanbao" find $mode "$query" "$dir/archive" --limit 50)
  fzf_ms=$(median sh -c "$kanbao headlines $mode '$dir/archive' | fzf --filter '$query' | head -50")
  echo "${mode:-with the index}:"
  echo "  kanbao find:                        ${find_ms} ms"
  echo "  kanbao headlines | fzf --filter:    ${fzf_ms} ms"
  echo "  ratio (fzf pipeline / kanbao find): $(awk "BEGIN { printf \"%.2f\", $fzf_ms / ($find_ms > 0 ? $find_ms : 1) }")"
done
