#!/bin/bash
# Signed images under Podman (containers/storage) with `podman run --runtime verified-runtime`:
# the manifest is the one containers/storage keeps for the image (its `manifest` big-data, as
# `skopeo inspect --raw containers-storage:` prints it), signed by the test as CI would (cosign
# simple signing, `openssl dgst`) and imported with `verifiedctl signature import`. A signed
# image runs; unsigned, signed by a key the rule does not name, and re-tagged into another
# repository (under repository identity) are refused with the signatures tried, nothing of a
# refused container runs; digest identity admits the re-tagged image.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
source "$(dirname "$0")/signing_lib.sh"
e2e_need skopeo openssl base64
RUN=(pm_verified run --rm --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary")
run() {  # run NAME IMAGE: touches /canary/NAME
  "${RUN[@]}" -e "CANARY_NAME=$1" "$2" sh -c 'touch /canary/$CANARY_NAME; echo hello-from-container'
}
refused() {  # refused NAME MESSAGE IMAGE
  expect_fail run "$1" "$3"
  expect_contains "$LAST_OUT" "verified: refused image" "$1 refusal"
  expect_contains "$LAST_OUT" "$2" "$1 refusal"
  expect_no_file "$E2E_DIR/canary/$1"
  echo "    what the user saw: $LAST_OUT"
}
STORE="containers-storage:[overlay@$PR/root+$PR/runroot]"

# sign_pm IMAGE KEY REFERENCE OUT: signs the manifest containers/storage keeps for IMAGE.
sign_pm() {
  skopeo inspect --raw "$STORE$1" > "$4.manifest.json" || fail "skopeo inspect --raw $1"
  local digest="sha256:$(sha256sum < "$4.manifest.json" | cut -d' ' -f1)"
  simple_sign "$2" "$digest" "$3" "$4"
  expect_ok vctl signature import --payload "$4.payload" --signature "$4.sig" \
    --manifest "$4.manifest.json"
}

e2e_log "images built offline with podman"
for i in sapp sunsigned sother; do pm_build "$i:1" "LABEL which=$i"; done
S="$E2E_DIR/sign"
mkdir -p "$S"
expect_ok vctl key generate ci --private-out "$S/ci.key"
expect_ok vctl key generate other --private-out "$S/other.key"
for i in sapp sunsigned sother; do expect_ok vctl policy allow "localhost/$i" --require signed_by=ci; done
sign_pm localhost/sapp:1 "$S/ci.key" localhost/sapp "$S/sapp"
sign_pm localhost/sother:1 "$S/other.key" localhost/sother "$S/sother"

e2e_log "signed by ci: runs"
expect_ok run signed localhost/sapp:1
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/signed"
expect_ok pvctl check localhost/sapp:1
expect_contains "$LAST_OUT" "by key ci for repository localhost/sapp: counted" "check"

e2e_log "unsigned, and signed by a key the rule does not name: refused"
refused unsigned "requires signed_by: needs a valid signature by key ci; no signature is stored" \
  localhost/sunsigned:1
refused other "signed by key other, which this rule does not name (it names ci)" localhost/sother:1

e2e_log "re-tagged into another repository (the old name removed)"
expect_ok pm tag localhost/sapp:1 localhost/moved/sapp:1
expect_ok pm untag localhost/sapp:1 localhost/sapp:1
expect_ok vctl policy allow 'localhost/moved/*' --require signed_by=ci
refused moved "it was signed for repository localhost/sapp, and the image is stored as localhost/moved/sapp" \
  localhost/moved/sapp:1
expect_ok vctl policy allow 'localhost/moved/*' --require signed_by=ci --require signed_identity=digest
expect_ok run moved-digest localhost/moved/sapp:1
expect_file "$E2E_DIR/canary/moved-digest"
