#!/bin/bash
# Attestations at create under a real dockerd (issue 15): a rule requiring a recent signed
# vulnerability scan with no CRITICAL, an SBOM and SLSA provenance from the expected builder
# and source, attested by the host's key ci, runs an image only when verified attestations
# bound to its manifest (the docker-daemon manifest, proven down to the image ID) say so.
# A scan listing a CRITICAL, a scan older than the limit, no SBOM, another builder, an
# attestation by an untrusted key and one for another digest are each refused with their
# message, and the canary of a refused container is never written. Attestations are made
# with `verifiedctl attest` and, as `cosign attest --key` makes them, with OpenSSL and
# imported with `verifiedctl attestation import`.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need openssl base64 jq sha256sum /usr/bin/python3
e2e_start_docker
source "$(dirname "$0")/signing_lib.sh"
source "$(dirname "$0")/attest_lib.sh"

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")
run_canary() {
  local name=$1; shift
  "${RUN[@]}" "$@" sh -c "touch /canary/$name; echo ran-$name"
}
refused() {  # refused NAME MESSAGE IMAGE
  local name=$1 msg=$2; shift 2
  expect_fail run_canary "$name" "$@"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused" "$name refusal"
  expect_contains "$LAST_OUT" "$msg" "$name refusal"
  expect_no_file "$E2E_DIR/canary/$name"
  echo "    what the user saw: $LAST_OUT"
}
allowed() {  # allowed NAME IMAGE
  local name=$1; shift
  expect_ok run_canary "$name" "$@"
  expect_contains "$LAST_OUT" "ran-$name"
  expect_file "$E2E_DIR/canary/$name"
}
actl() { vctl "$@"; }
img() { echo "att/$1:1"; }

S="$E2E_DIR/sign"
mkdir -p "$S"
expect_ok vctl key generate ci --private-out "$S/ci.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$S/stranger.key" 2> /dev/null \
  || fail "openssl genpkey"
for i in app old nosbom builder otherdigest untrusted imported; do
  e2e_build_image "$(img "$i")" "LABEL which=$i"
done

attest_scenarios

e2e_log "imported: a bundle made as cosign attest makes it, imported with its manifest"
expect_ok vctl policy allow "$(img imported)" --require attested_by=ci \
  --require vulnerabilities=critical:0
D=$(docker_manifest_for "$(img imported)" "$S/imported.manifest.json")
write_vuln "$S/v.json" "$(days_ago 0)"
openssl_attest "$S/stranger.key" "$D" "$VULN_T" "$S/v.json" "$S/stranger.bundle"
expect_fail vctl attestation import "$S/stranger.bundle" --manifest "$S/imported.manifest.json"
expect_contains "$LAST_OUT" "signed by no trusted key"
[[ -d $CFG/attestations/sha256-${D#sha256:} ]] && fail "an untrusted import stored something" \
  || pass "an untrusted import stored nothing"
refused notimported "no valid vulnerability scan" "$(img imported)"
openssl_attest "$S/ci.key" "$D" "$VULN_T" "$S/v.json" "$S/ci.bundle"
expect_ok vctl attestation import "$S/ci.bundle" --manifest "$S/imported.manifest.json"
expect_contains "$LAST_OUT" "imported vuln attestation for $D (key ci, with its manifest)"
expect_file "$CFG/attestations/sha256-${D#sha256:}/manifest.json"
allowed imported "$(img imported)"

e2e_log "explain of a running container shows its attestations"
cid=$(d run -d --network=none --runtime=verified "$(img app)" sleep 30)
expect_ok vctl explain "$cid"
expect_contains "$LAST_OUT" "[pass] attestations" "explain"
expect_contains "$LAST_OUT" "scan by pkg:github/aquasecurity/trivy@0.58.1 0.58.1" "explain"
d rm -f "$cid" > /dev/null
