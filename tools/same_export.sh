#!/usr/bin/env bash
# Checks that a change of code layout changed no output: builds kanbao at REV (default: the
# commit before the tree was reshaped) and at the working tree, exports every sample and
# corpus file as JSON with both, and compares them byte for byte.
#
#   tools/same_export.sh [REV] [FILES...]
#
# Files default to sample-data/* and ../shared/corpus/* (what exists of them).
set -euo pipefail
rev=${1:-bfea690}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'git -C "$root" worktree remove --force "$work/old" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git -C "$root" worktree add --detach "$work/old" "$rev" >/dev/null 2>&1
export XDG_CACHE_HOME=$work/cache
echo "building $rev ..." >&2
cargo build --quiet --manifest-path "$work/old/Cargo.toml" --target-dir "$work/target-old"
echo "building the working tree ..." >&2
cargo build --quiet --manifest-path "$root/Cargo.toml"
old=$work/target-old/debug/kanbao
new=$root/target/debug/kanbao
if [ $# -eq 0 ]; then
  set -- "$root"/sample-data/* "$root"/../shared/corpus/*
fi
same=0 differ=0
for f in "$@"; do
  [ -f "$f" ] || continue
  "$old" export --format json "$f" >"$work/a" 2>"$work/a.err" || true
  "$new" export --format json "$f" >"$work/b" 2>"$work/b.err" || true
  if cmp -s "$work/a" "$work/b"; then
    same=$((same + 1))
  else
    differ=$((differ + 1))
    echo "DIFFERS: $f" >&2
    diff <(head -c 2000 "$work/a") <(head -c 2000 "$work/b") | head -20 >&2 || true
  fi
done
echo "$same identical, $differ differ ($rev vs working tree)"
[ "$differ" -eq 0 ]
