#!/bin/bash
# Signed images under containerd as Kubernetes drives it (`ctr run --runc-binary`): the
# manifest is the one containerd keeps (`ctr content get`), signed by the test as CI would
# (cosign simple signing, `openssl dgst`), imported with `verifiedctl signature import`. A
# signed image runs; unsigned, signed by a key the rule does not name, and re-tagged into
# another repository (under repository identity) are refused with the signatures tried, and
# nothing of a refused container runs; digest identity admits the re-tagged image.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/signing_lib.sh"
e2e_init
e2e_need containerd ctr openssl base64
e2e_start_docker

e2e_log "images built offline with docker, moved into a private containerd"
for i in sapp sunsigned sother; do
  e2e_build_image "$i:1" "LABEL which=$i"
  d save -o "$E2E_DIR/$i.tar" "$i:1" || fail "docker save $i:1"
done
e2e_start_runtime_containerd
for i in sapp sunsigned sother; do expect_ok "${C[@]}" images import "$E2E_DIR/$i.tar"; done
RUN=("${C[@]}" run --rm --runc-binary "$VERIFIED_RUNTIME"
     --mount "type=bind,src=$E2E_DIR/canary,dst=/canary,options=rbind:rw")
n=0
run() {  # run NAME IMAGE: one container, id unique per call, touching /canary/NAME
  n=$((n + 1))
  "${RUN[@]}" --env "CANARY_NAME=$1" "$2" "e2e-$E2E_RUN_ID-$n" \
    sh -c 'touch /canary/$CANARY_NAME; echo hello-from-container'
}
refused() {  # refused NAME MESSAGE IMAGE
  expect_fail run "$1" "$3"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image $3" "$1 refusal"
  expect_contains "$LAST_OUT" "$2" "$1 refusal"
  expect_no_file "$E2E_DIR/canary/$1"
  echo "    what the user saw: $LAST_OUT"
}

# sign_ctr IMAGE KEY REFERENCE OUT: signs the manifest containerd keeps for IMAGE (its target;
# `ctr images import` of a docker save records the platform manifest itself).
sign_ctr() {
  local digest
  digest=$("${C[@]}" images ls | awk -v r="$1" '$1 == r {print $3}')
  [[ $digest == sha256:* ]] || fail "no target digest for $1"
  "${C[@]}" content get "$digest" > "$4.manifest.json" || fail "ctr content get $digest"
  simple_sign "$2" "$digest" "$3" "$4"
  expect_ok vctl signature import --payload "$4.payload" --signature "$4.sig" \
    --manifest "$4.manifest.json"
}

S="$E2E_DIR/sign"
mkdir -p "$S"
expect_ok vctl key generate ci --private-out "$S/ci.key"
expect_ok vctl key generate other --private-out "$S/other.key"
expect_ok vctl policy allow 'sapp' --require signed_by=ci
expect_ok vctl policy allow 'sunsigned' --require signed_by=ci
expect_ok vctl policy allow 'sother' --require signed_by=ci
sign_ctr docker.io/library/sapp:1 "$S/ci.key" docker.io/library/sapp "$S/sapp"
sign_ctr docker.io/library/sother:1 "$S/other.key" docker.io/library/sother "$S/sother"

e2e_log "signed by ci: runs"
expect_ok run signed docker.io/library/sapp:1
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/signed"
expect_ok vctl check sapp:1 --engine containerd
expect_contains "$LAST_OUT" "by key ci for repository docker.io/library/sapp: counted" "check"

e2e_log "unsigned, and signed by a key the rule does not name: refused"
refused unsigned "requires signed_by: needs a valid signature by key ci; no signature is stored" \
  docker.io/library/sunsigned:1
refused other "signed by key other, which this rule does not name (it names ci)" \
  docker.io/library/sother:1

e2e_log "re-tagged into another repository (the old name removed)"
expect_ok "${C[@]}" images tag docker.io/library/sapp:1 docker.io/moved/sapp:1
expect_ok "${C[@]}" images rm docker.io/library/sapp:1
expect_ok vctl policy allow 'moved/*' --require signed_by=ci
refused moved "it was signed for repository docker.io/library/sapp, and the image is stored as docker.io/moved/sapp" \
  docker.io/moved/sapp:1
expect_ok vctl policy allow 'moved/*' --require signed_by=ci --require signed_identity=digest
expect_ok run moved-digest docker.io/moved/sapp:1
expect_file "$E2E_DIR/canary/moved-digest"
