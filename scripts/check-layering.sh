#!/usr/bin/env bash
# Checks the layering of the verifier library: builds the include graph of its folders
# (verifier/<folder>/... including "verifier/<other>/...") and fails when that graph has a
# cycle, so that no two library folders include each other, directly or through others.
#
#   scripts/check-layering.sh [SOURCE_ROOT]     (default: this script's repository)
#
# Prints each folder's dependencies. Exit 0: no cycle; 1: a cycle (the folders in it and the
# files making each of its includes are printed); 2: usage error. Run as the CTest test
# layering.no_include_cycles (label unit).
set -euo pipefail

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
lib="$root/verifier"
if [[ ! -d $lib ]]; then
  echo "check-layering: $lib is not a directory" >&2
  exit 2
fi

# "<folder> <included folder> <file>" for every include of another folder of the library.
includes=$(cd "$lib" && grep -rHoE '^[[:space:]]*#[[:space:]]*include[[:space:]]+"verifier/[A-Za-z0-9_]+/' \
  --include='*.h' --include='*.hpp' --include='*.cpp' --include='*.cc' . |
  sed -nE 's|^\./([^/]+)/(.*):.*"verifier/([A-Za-z0-9_]+)/$|\1 \3 \1/\2|p' |
  awk '$1 != $2' | sort -u || true)
edges=$(awk '{print $1, $2}' <<<"$includes" | sed '/^ *$/d' | sort -u)

for dir in "$lib"/*/; do
  folder=$(basename "$dir")
  deps=$(awk -v f="$folder" '$1 == f {print $2}' <<<"$edges" | tr '\n' ' ')
  echo "verifier/$folder -> ${deps:-(none)}"
done

if [[ -z $edges ]]; then
  exit 0
fi
err=$(tsort <<<"$edges" 2>&1 >/dev/null) && exit 0
# tsort names the folders of one cycle per report: "tsort: -: input contains a loop:" then
# "tsort: <folder>" lines.
in_loop=$(sed -nE 's/^tsort: ([A-Za-z0-9_]+)$/\1/p' <<<"$err" | sort -u)
echo "check-layering: the verifier folders include each other in a cycle:" >&2
echo "$err" >&2
if [[ -n $in_loop ]]; then
  while read -r from to file; do
    if grep -qx "$from" <<<"$in_loop" && grep -qx "$to" <<<"$in_loop"; then
      echo "  verifier/$file includes verifier/$to/" >&2
    fi
  done <<<"$includes"
fi
exit 1
