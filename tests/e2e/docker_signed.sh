#!/bin/bash
# Signed images under a real dockerd (overlay2, which keeps no manifests): a rule with
# `signed_by` runs an image only when a signature by one of its keys, imported with the
# manifest `skopeo copy docker-daemon:` would write, proves the chain key -> signature ->
# manifest digest -> manifest bytes -> config digest = the image ID the store proved. Unsigned,
# signed by a key the rule does not name, signed for another image, re-tagged into another
# repository (under repository identity) and a tampered-then-re-signed manifest are refused
# with a message naming the signatures tried, and nothing of a refused container runs.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need openssl base64 /usr/bin/python3
e2e_start_docker

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

source "$(dirname "$0")/signing_lib.sh"
S="$E2E_DIR/sign"
mkdir -p "$S"
image_id() { docker_image_id "$@"; }
manifest_for() { docker_manifest_for "$@"; }
sign() { simple_sign "$@"; }

e2e_log "keys: ci (the rule's), other (trusted by the host, not named by the rule), a stranger's"
expect_ok vctl key generate ci --private-out "$S/ci.key"
expect_ok vctl key generate other --private-out "$S/other.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$S/stranger.key" 2> /dev/null \
  || fail "openssl genpkey"

e2e_log "images"
for i in app unsigned byother notmine tamper; do e2e_build_image "signed/$i:1" "LABEL which=$i"; done

e2e_log "the policy: signed/* needs a signature by ci (repository identity by default)"
expect_ok vctl policy allow 'signed/*' --require signed_by=ci
expect_ok vctl policy lint
expect_fail vctl policy allow 'nokey/*' --require signed_by=nokey
expect_contains "$LAST_OUT" "names key nokey" "a rule naming a missing key"

e2e_log "signed by ci over the image's manifest: runs"
APP_DIGEST=$(manifest_for signed/app:1 "$S/app.manifest.json")
sign "$S/ci.key" "$APP_DIGEST" docker.io/signed/app "$S/app"
expect_ok vctl signature import --payload "$S/app.payload" --signature "$S/app.sig" \
  --manifest "$S/app.manifest.json"
allowed signed signed/app:1
expect_ok vctl check signed/app:1
echo "$LAST_OUT"
expect_contains "$LAST_OUT" "by key ci for repository docker.io/signed/app: counted" "check"
expect_contains "$LAST_OUT" "names config $(image_id signed/app:1) = the image ID" "check"

e2e_log "explain of a running signed container shows the signature, its key and the chain"
cid=$(d run -d --network=none --runtime=verified signed/app:1 sleep 30)
expect_ok vctl explain "$cid"
expect_contains "$LAST_OUT" "ALLOWED" "explain"
expect_contains "$LAST_OUT" "[pass] signed_by: 1 of 1 needed counted" "explain"
expect_contains "$LAST_OUT" "by key ci for repository docker.io/signed/app: counted" "explain"
d rm -f "$cid" > /dev/null

e2e_log "unsigned: refused"
refused unsigned "requires signed_by: needs a valid signature by key ci; no signature is stored for this image" \
  signed/unsigned:1
expect_fail vctl check signed/unsigned:1
expect_refused_check "no signature is stored for this image"

e2e_log "signed by a key the host trusts but the rule does not name: refused"
OTHER_DIGEST=$(manifest_for signed/byother:1 "$S/byother.manifest.json")
sign "$S/other.key" "$OTHER_DIGEST" docker.io/signed/byother "$S/byother"
expect_ok vctl signature import --payload "$S/byother.payload" --signature "$S/byother.sig" \
  --manifest "$S/byother.manifest.json"
refused byother "not counted: signed by key other, which this rule does not name (it names ci)" signed/byother:1
expect_fail vctl check signed/byother:1
expect_refused_check "simple-signing signature" "not counted"

e2e_log "signed by a key the host does not trust: the import refuses it, the image stays refused"
sign "$S/stranger.key" "$OTHER_DIGEST" docker.io/signed/byother "$S/stranger"
expect_fail vctl signature import --payload "$S/stranger.payload" --signature "$S/stranger.sig" \
  --manifest "$S/byother.manifest.json"
refused stranger "not counted" signed/byother:1

e2e_log "a signature by ci for another image's digest does not admit this one"
sign "$S/ci.key" "$APP_DIGEST" docker.io/signed/notmine "$S/notmine"
expect_ok vctl signature import --payload "$S/notmine.payload" --signature "$S/notmine.sig"
NOTMINE_DIGEST=$(manifest_for signed/notmine:1 "$S/notmine.manifest.json")
expect_fail vctl signature import --payload "$S/notmine.payload" --signature "$S/notmine.sig" \
  --manifest "$S/notmine.manifest.json"
expect_contains "$LAST_OUT" "$NOTMINE_DIGEST" "import of a signature with another image's manifest"
refused notmine "no signature is stored for this image" signed/notmine:1

e2e_log "a tampered manifest (the config of signed/app:1), re-signed by ci: never admits signed/tamper:1"
TAMPER_DIGEST=$(manifest_for signed/tamper:1 "$S/tamper.manifest.json" "$(image_id signed/app:1)")
sign "$S/ci.key" "$TAMPER_DIGEST" docker.io/signed/tamper "$S/tamper"
expect_ok vctl signature import --payload "$S/tamper.payload" --signature "$S/tamper.sig" \
  --manifest "$S/tamper.manifest.json"
refused tamper "no signature is stored for this image" signed/tamper:1
# It names signed/app:1's config, so it is tried for that image, and counts only where its
# repository is one the image is stored as (it is not).
expect_ok vctl check signed/app:1
expect_contains "$LAST_OUT" "signed for repository docker.io/signed/tamper, and the image is stored as docker.io/signed/app" "check of signed/app"
allowed still-signed signed/app:1

e2e_log "the signed image re-tagged into another repository (the old tag removed)"
expect_ok d tag signed/app:1 moved/app:1
expect_ok d rmi signed/app:1
expect_ok vctl policy allow 'moved/*' --require signed_by=ci
refused moved "not counted: it was signed for repository docker.io/signed/app, and the image is stored as docker.io/moved/app" \
  moved/app:1
e2e_log "... is allowed under digest identity"
expect_ok vctl policy allow 'moved/*' --require signed_by=ci --require signed_identity=digest
allowed moved-digest moved/app:1

e2e_log "the decision log names the rule for each refusal"
expect_contains "$(cat "$E2E_DIR/decisions.log")" "signed_by" "decision log"
