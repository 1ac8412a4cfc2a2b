#!/usr/bin/env bash
# Self-test of scripts/check-layering.sh on small made-up trees: a layered tree passes; two
# folders including each other, and a three-folder cycle, fail naming the files.
#   tests/tools/check_layering_test.sh <path of check-layering.sh>
set -uo pipefail
check=${1:?usage: $0 CHECK_LAYERING_SH}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

put() {  # put TREE FOLDER/FILE INCLUDED_FOLDER
  mkdir -p "$tmp/$1/verifier/$(dirname "$2")"
  echo "#include \"verifier/$3/x.h\"" >>"$tmp/$1/verifier/$2"
}
expect() {  # expect TREE RC [TEXT]
  out=$("$check" "$tmp/$1" 2>&1)
  rc=$?
  if [[ $rc -ne $2 ]]; then
    echo "FAIL: $1: exit $rc, expected $2"$'\n'"$out"
    fail=1
  elif [[ -n ${3:-} && $out != *"$3"* ]]; then
    echo "FAIL: $1: output lacks '$3'"$'\n'"$out"
    fail=1
  else
    echo "ok: $1 (exit $rc)"
  fi
}

put layered a/a.cpp b
put layered b/b.h c
put layered a/a.h a  # a folder including itself is fine
put layered c/c.h core
expect layered 0 "verifier/a -> b"

put mutual config/config_dir.h policy
put mutual policy/policy_file.cpp config
put mutual core/result.h core
expect mutual 1 "verifier/config/config_dir.h includes verifier/policy/"

put ring a/a.h b
put ring b/b.h c
put ring c/c.cpp a
expect ring 1 "verifier/c/c.cpp includes verifier/a/"

expect missing 2
exit $fail
