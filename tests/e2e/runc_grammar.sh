#!/bin/bash
# Differential test of the runc command-line grammar: for each command line, what the real runc
# does (which bundle it opens, or that it rejects the line) against what verified-runtime's
# parser concludes. A line we accept must name the same bundle as runc (else a misparse is a
# bypass); a line runc rejects we must reject; lines we refuse that runc accepts are listed (safe,
# but worth knowing).
source "$(dirname "$0")/lib.sh"
e2e_need runc
PROBE=${RUNC_ARGS_PROBE:?}
ROOT=$(mktemp -d /tmp/vfy-grammar.XXXXXX)
trap 'rm -rf "$ROOT"' EXIT

# Bundles that do not exist: runc's first filesystem step on create/run is chdir(bundle), so its
# error names the bundle it picked. B1..B3 are distinct so a confusion is visible.
B1=/nonexistent/b1 B2=/nonexistent/b2
cases=(
  "create --bundle $B1 id1"
  "create -b $B1 id1"
  "create --bundle=$B1 id1"
  "create -bundle $B1 id1"
  "create id1 --bundle $B1"
  "create id1 -b=$B1 --no-pivot"
  "create --no-pivot id1 --bundle $B1"
  "create --no-pivot --bundle $B1 id1"
  "create --bundle $B1 --bundle $B2 id1"
  "create --bundle $B1 -b $B2 id1"
  "create --pid-file /tmp/p --bundle $B1 id1"
  "create --console-socket /tmp/s --bundle $B1 id1 extra"
  "create --bundle $B1"
  "create -- id1"
  "--root $ROOT/r create --bundle $B1 id1"
  "--debug --log /dev/null --log-format json create --bundle $B1 id1"
  "--systemd-cgroup=false create --bundle $B1 id1"
  "run -d --bundle $B1 id1"
  "run --detach id1 -b $B1"
  "run -d id1 -b $B1"
  "run --keep --no-subreaper --bundle $B1 id1"
  "create --preserve-fds 0 --bundle $B1 id1"
  "create --preserve-fds=0x1 --bundle $B1 id1"
  "create --bogus --bundle $B1 id1"
  "--bogus create --bundle $B1 id1"
  "create --bundle $B1 a/b"
)
mismatch=0
accepted=0 rejected=0
# At least this many lines must be accepted by both with the same bundle (and as many rejected
# by both): a probe that accepts nothing or rejects nothing would otherwise pass unchecked.
MIN_ACCEPTED=12 MIN_REJECTED=3
for line in "${cases[@]}"; do
  # shellcheck disable=SC2086
  out=$(cd "$ROOT" && runc --root "$ROOT/state" $line 2>&1 < /dev/null)
  # Only runc's final error line counts (its usage text mentions config.json too).
  last=$(grep -v '^[[:space:]]*$' <<< "$out" | tail -1)
  runc_bundle=$(grep -o 'chdir /nonexistent/b[0-9]' <<< "$last" | cut -d' ' -f2)
  if [[ -z "$runc_bundle" ]] && grep -q 'specification file config.json not found' <<< "$last"; then
    runc_bundle=.
  fi
  # shellcheck disable=SC2086
  ours=$(cd "$ROOT" && "$PROBE" --root "$ROOT/state" $line)
  our_bundle=$(awk '$1=="ok"{print $4}' <<< "$ours")
  if [[ -n "$our_bundle" && "$our_bundle" != "$runc_bundle" ]]; then
    fail "'$line': we read bundle '$our_bundle', runc used '${runc_bundle:-nothing}' ($out)"
    mismatch=1
  elif [[ -n "$our_bundle" ]]; then
    pass "'$line': both use bundle $our_bundle"
    accepted=$((accepted + 1))
  elif [[ -n "$runc_bundle" ]]; then
    echo "note: '$line': refused by us (${ours#refused }), accepted by runc (bundle $runc_bundle) - safe"
  else
    pass "'$line': both reject"
    rejected=$((rejected + 1))
  fi
done
if ((accepted < MIN_ACCEPTED || rejected < MIN_REJECTED)); then
  fail "only $accepted lines accepted (minimum $MIN_ACCEPTED) and $rejected rejected (minimum $MIN_REJECTED) by both"
  mismatch=1
fi
[[ $mismatch -eq 0 ]] && echo "E2E PASSED" || { echo "E2E FAILED"; exit 1; }
