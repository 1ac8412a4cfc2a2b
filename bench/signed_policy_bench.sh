#!/bin/bash
# signed_policy_bench.sh BUILD_DIR [COUNT...]: the per-create cost of the signed policy. For
# each registration COUNT (default 0 1000 10000): a private config dir with COUNT synthetic
# registrations (fill_registrations), then the median of 21 decision-log elapsed_us of a direct
# `verified-runtime create` with no bundle (refused right after the policy step), unsigned and
# then signed with an ECDSA P-256 policy key (the first signed create is not counted: it
# verifies and fills the state dir's caches, the verification and the parsed statement; the 21
# after it are the steady state).
set -euo pipefail
B=${1:?usage: $0 BUILD_DIR [COUNT...]}
shift
RT=${VERIFIED_RUNTIME:-$B/shim/verified-runtime}
CTL=${VERIFIEDCTL:-$B/ctl/verifiedctl}
FILL=$B/bench/fill_registrations
COUNTS=("$@")
[ ${#COUNTS[@]} -gt 0 ] || COUNTS=(0 1000 10000)
W=$(mktemp -d /tmp/signed_policy_bench.XXXXXX)
trap 'rm -rf "$W"' EXIT
chmod 755 "$W"

# median CFG STATE: median elapsed_us of 21 refused creates.
median() {
  local log=$W/decisions.log
  : > "$log"
  for i in $(seq 21); do
    "$RT" --config-dir "$1" --state-dir "$2" create --bundle "$W/no-bundle" "b$i" \
      > /dev/null 2>&1 || true
  done
  jq -r .elapsed_us "$log" | sort -n | awk 'NR == 11'
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$W/ops.key" 2> /dev/null
openssl pkey -in "$W/ops.key" -pubout -out "$W/ops.pub"
for n in "${COUNTS[@]}"; do
  cfg=$W/cfg$n state=$W/state$n
  mkdir -p "$cfg"
  chmod 755 "$cfg"
  printf '{"decision_log": "%s/decisions.log"}\n' "$W" > "$cfg/runtime.json"
  "$CTL" --config-dir "$cfg" policy allow app --require registered > /dev/null
  [ "$n" -eq 0 ] || "$FILL" "$cfg" "$n" > /dev/null
  unsigned=$(median "$cfg" "$state")
  "$CTL" --config-dir "$cfg" --state-dir "$state" policy trust add ops "$W/ops.pub" > /dev/null
  "$CTL" --config-dir "$cfg" --state-dir "$state" policy sign --key "$W/ops.key" > /dev/null
  # A statement changed in the last 100 ms is not cached by its file identity (racy window).
  sleep 0.2
  "$RT" --config-dir "$cfg" --state-dir "$state" create --bundle "$W/no-bundle" warm \
    > /dev/null 2>&1 || true
  echo "registrations=$n unsigned_us=$unsigned signed_p256_us=$(median "$cfg" "$state")"
done
