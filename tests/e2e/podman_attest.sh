#!/bin/bash
# Attestations at create under Podman (containers/storage, `podman run --runtime
# verified-runtime`), issue 15: the attestations are made with `verifiedctl attest` over the
# manifest containers/storage keeps for the image; a clean recent signed scan with an SBOM and
# the expected provenance runs; a CRITICAL, an expired scan, no SBOM, another builder, an
# untrusted key and an attestation for another digest are refused with their message and the
# canary is never written.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
e2e_need openssl base64 jq sha256sum /usr/bin/python3
source "$(dirname "$0")/attest_lib.sh"
RUN=(pm_verified run --rm --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary")
run() {  # run NAME IMAGE: touches /canary/NAME
  "${RUN[@]}" -e "CANARY_NAME=$1" "$2" sh -c 'touch /canary/$CANARY_NAME; echo ran-$CANARY_NAME'
}
refused() {  # refused NAME MESSAGE IMAGE
  expect_fail run "$1" "$3"
  expect_contains "$LAST_OUT" "verified: refused image" "$1 refusal"
  expect_contains "$LAST_OUT" "$2" "$1 refusal"
  expect_no_file "$E2E_DIR/canary/$1"
  echo "    what the user saw: $LAST_OUT"
}
allowed() {  # allowed NAME IMAGE
  expect_ok run "$1" "$2"
  expect_contains "$LAST_OUT" "ran-$1"
  expect_file "$E2E_DIR/canary/$1"
}
actl() { pvctl "$@"; }
img() { echo "localhost/att-$1:1"; }

S="$E2E_DIR/sign"
mkdir -p "$S"
expect_ok vctl key generate ci --private-out "$S/ci.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$S/stranger.key" 2> /dev/null \
  || fail "openssl genpkey"
for i in app old nosbom builder otherdigest untrusted; do pm_build "$(img "$i")" "LABEL which=$i"; done

attest_scenarios
