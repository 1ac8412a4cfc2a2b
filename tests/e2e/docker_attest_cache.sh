#!/bin/bash
# Attestations as cosign writes them, and the attestation cache, under a real dockerd
# (issue 15). cosign is not installed: tests/e2e/cosign_attest_files.py lays out, with OpenSSL
# signing and a key made here, what `cosign attest --key` + `cosign save --dir` write (an OCI
# layout whose legacy `.att` image has one DSSE envelope layer) and what `cosign attest
# --new-bundle-format` writes (a sigstore bundle v0.3). Both are imported with
# `verifiedctl attestation import`.
#
#   - a clean scan in a cosign save layout: the image runs; the create recorded the verified
#     attestation in <state-dir>/attestation-verifications (root-owned, 0600), and check shows
#     it came from that cache;
#   - a scan listing a CRITICAL in a layout: refused with its count and ID, the canary never
#     written; the second create is refused the same way, its verification from the cache;
#   - a clean scan in a bundle v0.3 file: runs;
#   - attacks on the cache: the stored clean attestation rewritten in place with other bytes of
#     the same size and its mtime put back (only the ctime says it changed) is refused, not
#     masked by the cached verdict; a CRITICAL scan imported later for the same image is read
#     beside the cached clean one and refuses; a cache file claiming a clean scan for the
#     CRITICAL one, but not root-owned, is ignored and the CRITICAL still refuses.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need openssl base64 jq sha256sum stat /usr/bin/python3
e2e_start_docker
source "$(dirname "$0")/signing_lib.sh"
source "$(dirname "$0")/attest_lib.sh"
COSIGN_FILES=(/usr/bin/python3 "$(dirname "$0")/cosign_attest_files.py")

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
# cosign_save IMAGE OUT_DIR PREDICATE: the layout of IMAGE with a legacy attestation of
# PREDICATE (a vuln scan) by key ci; prints the manifest digest.
cosign_save() {
  local m="$S/$(tr -c 'a-z0-9\n' _ <<< "$1").manifest.json" blobs="$S/saved.$RANDOM"
  docker_manifest_for "$1" "$m" > /dev/null
  mkdir -p "$blobs"
  d save "$1" | tar -x -C "$blobs" || fail "docker save $1"
  "${COSIGN_FILES[@]}" layout "$2" "$m" \
    "$DOCKER_DATA/image/overlay2/imagedb/content/sha256/$(docker_image_id "$1" | cut -d: -f2)" \
    "$S/ci.key" "$VULN_T" "$3" "index.docker.io/${1%%:*}" "$blobs/blobs/sha256"
}
CACHE="$VERIFIED_STATE_DIR/attestation-verifications"
HIT="(verified before: from the attestation cache)"

S="$E2E_DIR/sign"
mkdir -p "$S"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$S/ci.key" 2> /dev/null \
  || fail "openssl genpkey"
openssl pkey -in "$S/ci.key" -pubout -out "$S/ci.pub" || fail "openssl pkey -pubout"
expect_ok vctl key add ci "$S/ci.pub"
for i in app crit bundled; do e2e_build_image "cosign/$i:1" "LABEL which=$i"; done
expect_ok vctl policy allow 'cosign/*' --require attested_by=ci --require vulnerabilities=critical:0
write_vuln "$S/clean.json" "$(days_ago 1)" CVE-2026-0002:HIGH
write_vuln "$S/crit.json" "$(days_ago 1)" CVE-2026-0001:CRITICAL CVE-2026-0002:HIGH

e2e_log "app: a clean scan as cosign save writes it (legacy .att, DSSE layer): runs"
APP=$(cosign_save cosign/app:1 "$S/app.layout" "$S/clean.json")
jq -e '.manifests[1].annotations.kind == "dev.cosignproject.cosign/atts"' "$S/app.layout/index.json" \
  > /dev/null || fail "the layout has no atts entry"
expect_ok vctl attestation import "$S/app.layout"
expect_contains "$LAST_OUT" "$APP"
refused none "no valid vulnerability scan" cosign/bundled:1   # nothing imported for it yet
sleep 0.2  # a bundle file changed in the last 0.1 s is not cached (its ctime could repeat)
allowed app cosign/app:1
expect_file "$CACHE"
[[ $(stat -c '%u %a' "$CACHE") == "0 600" ]] && pass "cache file root-owned 0600" \
  || fail "cache file is $(stat -c '%u %a' "$CACHE")"
expect_ok vctl check cosign/app:1
expect_contains "$LAST_OUT" "[pass] attestations" "check after the create"
expect_contains "$LAST_OUT" "0 critical, 1 high, 0 medium, 0 low, 0 unknown $HIT" "check after the create"
allowed app2 cosign/app:1

e2e_log "crit: a scan listing a CRITICAL, imported the same way: refused, also from the cache"
CRIT=$(cosign_save cosign/crit:1 "$S/crit.layout" "$S/crit.json")
expect_ok vctl attestation import "$S/crit.layout"
expect_contains "$LAST_OUT" "$CRIT"
sleep 0.2
refused crit "lists 1 critical over the limit of 0: CVE-2026-0001" cosign/crit:1
expect_not_contains "$LAST_OUT" "$HIT"
refused crit2 "lists 1 critical over the limit of 0: CVE-2026-0001" cosign/crit:1
expect_contains "$LAST_OUT" "$HIT" "second create of crit"

e2e_log "bundled: a clean scan in a sigstore bundle v0.3 file: runs"
M="$S/bundled.manifest.json"
docker_manifest_for cosign/bundled:1 "$M" > /dev/null
"${COSIGN_FILES[@]}" bundle "$S/bundled.sigstore.json" "$M" "$S/ci.key" "$VULN_T" \
  "$S/clean.json" index.docker.io/cosign/bundled > /dev/null || fail "bundle"
jq -e '.mediaType == "application/vnd.dev.sigstore.bundle.v0.3+json"' "$S/bundled.sigstore.json" \
  > /dev/null || fail "not a v0.3 bundle"
expect_ok vctl attestation import "$S/bundled.sigstore.json" --manifest "$M"
allowed bundled cosign/bundled:1

e2e_log "attack: app's cached clean attestation rewritten in place, same size and mtime"
F=$(ls "$CFG/attestations/sha256-${APP#sha256:}/"*.json | grep -v manifest.json)
cp -p "$F" "$S/app-clean.saved"
before=$(stat -c '%i %s %Y' "$F")
/usr/bin/python3 - "$F" <<'PY'
import os, sys
p = sys.argv[1]
st = os.stat(p)
data = bytearray(open(p, "rb").read())
i = data.index(b'"payload":"') + 20          # one base64 character of the signed Statement
data[i] = ord("A") if data[i] != ord("A") else ord("B")
with open(p, "r+b") as f:                     # the same inode, size and (below) mtime
    f.write(data)
os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
PY
[[ $(stat -c '%i %s %Y' "$F") == "$before" ]] && pass "same inode, size and mtime" \
  || fail "the rewrite changed more than the bytes and ctime"
refused edited "edited after import" cosign/app:1
cat "$S/app-clean.saved" > "$F"
sleep 0.2
allowed restored cosign/app:1

e2e_log "attack: a CRITICAL scan imported later for app is not hidden by the cached clean one"
write_vuln "$S/app-crit.json" "$(days_ago 0)" CVE-2026-0003:CRITICAL
cosign_save cosign/app:1 "$S/app-crit.layout" "$S/app-crit.json" > /dev/null
expect_ok vctl attestation import "$S/app-crit.layout"
refused appcrit "lists 1 critical over the limit of 0: CVE-2026-0003" cosign/app:1
expect_contains "$LAST_OUT" "$HIT" "the older clean scan still from the cache"

e2e_log "attack: a poisoned cache file (crit's scan said clean) not owned by root: ignored"
/usr/bin/python3 - "$CACHE" "$S/poisoned" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().split("\n")
out = [lines[0]]
for line in lines[1:]:
    if not line:
        continue
    name, entry = line[:64], json.loads(line[65:])
    if "vuln" in entry:
        entry["vuln"]["counts"] = [0, 0, 0, 0, 0]
        entry["vuln"]["ids"] = [[], [], [], [], []]
    out.append(name + " " + json.dumps(entry, separators=(",", ":")))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
install -m 0600 -o 65534 -g 65534 "$S/poisoned" "$CACHE"
refused poisoned "lists 1 critical over the limit of 0: CVE-2026-0001" cosign/crit:1
expect_contains "$LAST_OUT" "attestation cache ignored" "poisoned cache"
expect_no_file "$E2E_DIR/canary/poisoned"
