#!/bin/bash
# Signed policy (issue 12): once <config-dir>/policy-keys/ holds a key, the runtime runs no
# policy that is not signed by one, and never an older or expired one. Through Docker under
# --runtime=verified (verified-runtime then execs the real runc), plus direct calls of
# verified-runtime as an engine makes them: an unsigned policy, an unsigned edit (policy.json
# edited, an image registered after signing), an older signed policy put back (rollback), an
# expired one (freeze), one signed by an untrusted key, a bad signature: each refused with its
# message and a canary that must never be written; a properly signed new version runs.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need openssl jq

# The state dir (the high-water mark) is private to the run and outside the config dir; the
# runtime gets it from daemon.json's runtimeArgs, written by verifiedctl install.
STATE="$E2E_DIR/state"
"$VERIFIEDCTL" --config-dir "$CFG" --state-dir "$STATE" install docker \
  --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME" > /dev/null \
  || fail "verifiedctl install docker --state-dir"
grep -q -- "--state-dir=$STATE" "$E2E_DIR/daemon.json" && pass "daemon.json passes --state-dir" \
  || fail "daemon.json lacks --state-dir: $(cat "$E2E_DIR/daemon.json")"
e2e_start_docker
svctl() { "$VERIFIEDCTL" --config-dir "$CFG" --state-dir "$STATE" "$@"; }

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")
CANARY='touch /canary/$CANARY_NAME; echo hello-from-container'
K="$E2E_DIR/keys"
mkdir -p "$K"

# run_ok NAME: app:1 runs and writes its canary.
run_ok() {
  expect_ok "${RUN[@]}" -e CANARY_NAME="$1" app:1 sh -c "$CANARY"
  expect_contains "$LAST_OUT" "hello-from-container"
  expect_file "$E2E_DIR/canary/$1"
}
# run_refused NAME MESSAGE...: app:1 is refused at create, the user sees each MESSAGE, no canary.
run_refused() {
  local name=$1; shift
  expect_fail "${RUN[@]}" -e CANARY_NAME="$name" app:1 sh -c "$CANARY"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused container"
  local m
  for m in "$@"; do expect_contains "$LAST_OUT" "$m"; done
  expect_no_file "$E2E_DIR/canary/$name"
}
mark_version() { jq -r .version "$STATE/policy-version" 2> /dev/null; }
# snapshot DIR: a copy of everything the signed policy covers, and the statement and signature.
snapshot() {
  mkdir -p "$1"
  cp -a "$CFG/policy.json" "$CFG/images" "$CFG/policy-keys" "$CFG/policy.sig.json" \
    "$CFG/policy.sig" "$1/"
}
# put_back DIR: the config dir as it was in the snapshot (a restored backup).
put_back() {
  rm -rf "$CFG/images" "$CFG/policy-keys"
  cp -a "$1/." "$CFG/"
}

e2e_log "without policy keys nothing changes: a registered image runs"
e2e_build_image app:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered
run_ok plain

e2e_log "a policy key (ECDSA P-384: signed with SHA-384) makes the signature required"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$K/ops.key" 2> /dev/null
openssl pkey -in "$K/ops.key" -pubout -out "$K/ops.pub"
expect_ok svctl policy trust add ops "$K/ops.pub"
expect_contains "$LAST_OUT" "the runtime refuses every create until the result is signed: verifiedctl policy sign"
run_refused unsigned "signed policy: the policy is unsigned" "verifiedctl policy sign --key"
expect_fail svctl policy status
expect_contains "$LAST_OUT" "signed policy: the policy is unsigned"
expect_fail svctl check app:1
expect_refused_check "signed policy: the policy is unsigned"

e2e_log "version 1, signed: the policy is used; the mark is raised in the state dir (0700)"
expect_ok svctl policy sign --key "$K/ops.key"
expect_contains "$LAST_OUT" "signed policy version 1 with policy key ops"
# The detached signature verifies with plain OpenSSL over the statement's exact bytes.
base64 -d "$CFG/policy.sig" > "$E2E_DIR/sig.der"
expect_ok openssl dgst -sha384 -verify "$K/ops.pub" -signature "$E2E_DIR/sig.der" "$CFG/policy.sig.json"
run_ok v1
[[ $(mark_version) == 1 ]] && pass "mark at version 1" || fail "mark: $(cat "$STATE/policy-version" 2>&1)"
[[ $(stat -c %a "$STATE") == 700 ]] && pass "state dir mode 0700" || fail "state dir mode $(stat -c %a "$STATE")"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"policy_signature":"signed policy: version 1 signed by ops' \
  && pass "decision log names the signed version" || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"
expect_ok svctl check app:1
expect_contains "$LAST_OUT" "signed policy: version 1 signed by ops"
snapshot "$E2E_DIR/v1"

e2e_log "an unsigned edit of policy.json is refused"
expect_ok vctl policy allow 'other/*' --require registered
expect_contains "$LAST_OUT" "until the result is signed"
run_refused edited "signed policy: unsigned edit: policy.json changed since version 1 was signed"

e2e_log "version 2 covers the edit"
expect_ok svctl policy sign --key "$K/ops.key" --expires 720h
expect_contains "$LAST_OUT" "signed policy version 2"
run_ok v2
[[ $(mark_version) == 2 ]] && pass "mark at version 2" || fail "mark: $(mark_version)"

e2e_log "an image registered after signing is an unsigned edit, refused when its registration is read"
e2e_build_image other/x:1 'LABEL other=1'
expect_ok vctl register other/x:1
expect_contains "$LAST_OUT" "until the result is signed"
# The policy allows other/* if registered: the unsigned registration must not admit it.
expect_fail "${RUN[@]}" -e CANARY_NAME=registered other/x:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image other/x:1"
expect_contains "$LAST_OUT" "signed policy: unsigned edit: images/by-"
expect_contains "$LAST_OUT" "was added since version 2 was signed"
expect_no_file "$E2E_DIR/canary/registered"
# A create reads only its own image's registration files (no listing of images/ per create):
# app:1's files are as signed, so it still runs.
run_ok unrelated-registration

e2e_log "version 3 covers the registration"
expect_ok svctl policy sign --key "$K/ops.key" --expires 2030-01-01T00:00:00Z
run_ok v3
[[ $(mark_version) == 3 ]] && pass "mark at version 3" || fail "mark: $(mark_version)"
snapshot "$E2E_DIR/v3"

e2e_log "a registration edited after a cached accept is refused when read"
# The accepted statement is cached in the state dir (statement_cache.h) by a create that finds
# policy.sig.json older than the racy window; the next create is a hit.
sleep 0.2
run_ok v3-cache-fill
run_ok v3-cached
grep -q '"version":3' "$STATE/policy-statement" 2> /dev/null \
  && pass "the state dir caches the verified statement of version 3" \
  || fail "no statement cache for version 3: $(head -c 300 "$STATE/policy-statement" 2>&1)"
[[ $(stat -c '%a %u' "$STATE/policy-statement") == "600 0" ]] \
  && pass "statement cache root-owned, 0600" || fail "cache mode: $(stat -c '%a %u' "$STATE/policy-statement")"
app_reg="$CFG/images/by-name/$(printf %s docker.io/library/app:1 | sha256sum | cut -d' ' -f1).json"
[[ -f $app_reg ]] || fail "no registration file $app_reg"
cp -a "$app_reg" "$E2E_DIR/app-reg.json"
jq '.registered_by = "someone else"' "$E2E_DIR/app-reg.json" > "$app_reg"
expect_fail "${RUN[@]}" -e CANARY_NAME=reg-edited app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image app:1"
expect_contains "$LAST_OUT" "signed policy: unsigned edit: images/by-name/"
expect_contains "$LAST_OUT" "changed since version 3 was signed"
expect_no_file "$E2E_DIR/canary/reg-edited"
cp -a "$E2E_DIR/app-reg.json" "$app_reg"
run_ok reg-restored

e2e_log "rollback: version 1 put back whole (validly signed, not expired) is refused"
put_back "$E2E_DIR/v1"
run_refused rollback "signed policy: rollback: version 1 is older than version 3, the highest this host accepted"
# The same refusal when an engine calls the runtime with the state dir in its environment.
expect_fail env VERIFIED_STATE_DIR="$STATE" "$VERIFIED_RUNTIME" --config-dir "$CFG" create \
  --bundle "$E2E_DIR/no-bundle" rollback-direct
expect_contains "$LAST_OUT" "signed policy: rollback: version 1 is older than version 3"
expect_fail "$VERIFIED_RUNTIME" --config-dir "$CFG" --state-dir "$STATE" create \
  --bundle "$E2E_DIR/no-bundle" rollback-direct
expect_contains "$LAST_OUT" "signed policy: rollback: version 1 is older than version 3"
[[ $(mark_version) == 3 ]] && pass "mark still at version 3" || fail "mark moved: $(mark_version)"
put_back "$E2E_DIR/v3"
run_ok v3-again

e2e_log "freeze: an expired version is refused"
expect_ok svctl policy sign --key "$K/ops.key" --expires 1s
expect_contains "$LAST_OUT" "signed policy version 4"
sleep 2.2
run_refused expired "signed policy: expired: version 4 expired at"

e2e_log "a grace period warns first (decision log), then refuses"
expect_ok svctl policy sign --key "$K/ops.key" --expires 1s --grace 1h
sleep 2.2
run_ok grace
tail -1 "$E2E_DIR/decisions.log" | grep -q 'WARNING: signed policy version 5 expired at' \
  && pass "decision log warns of the grace period" || fail "no grace warning: $(tail -1 "$E2E_DIR/decisions.log")"

e2e_log "signed by an untrusted key: a statement naming another key, signed with it"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/evil.key" 2> /dev/null
evil_id="sha256:$(openssl pkey -in "$K/evil.key" -pubout -outform DER | sha256sum | cut -d' ' -f1)"
cp "$CFG/policy.sig.json" "$CFG/policy.sig" "$E2E_DIR/"
jq --arg k "$evil_id" '.key = $k | .version = 99 | .expires = "2030-01-01T00:00:00Z"' \
  "$E2E_DIR/policy.sig.json" > "$CFG/policy.sig.json"
openssl dgst -sha256 -sign "$K/evil.key" "$CFG/policy.sig.json" | base64 -w0 > "$CFG/policy.sig"
run_refused untrusted "signed policy: signed by an untrusted key ($evil_id)"

e2e_log "a signature that does not verify (the statement edited after signing)"
jq '.version = 99 | .expires = "2030-01-01T00:00:00Z"' "$E2E_DIR/policy.sig.json" > "$CFG/policy.sig.json"
cp "$E2E_DIR/policy.sig" "$CFG/policy.sig"
run_refused badsig "signed policy: the signature does not verify" "policy key ops"
cp "$E2E_DIR/policy.sig.json" "$E2E_DIR/policy.sig" "$CFG/"

e2e_log "key rotation: a new key signs only after a trusted key listed it"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$K/next.key" 2> /dev/null
openssl pkey -in "$K/next.key" -pubout -out "$K/next.pub"
expect_ok svctl policy trust add next "$K/next.pub"
run_refused newkey "signed policy: unsigned edit: policy-keys/next.pub was added"
expect_fail svctl policy sign --key "$K/next.key"
expect_contains "$LAST_OUT" "policy key next was not listed by version 5"
expect_ok svctl policy sign --key "$K/ops.key"
expect_contains "$LAST_OUT" "signed policy version 6 with policy key ops"
run_ok rotated-listed
expect_ok svctl policy trust remove ops
expect_ok svctl policy sign --key "$K/next.key"
expect_contains "$LAST_OUT" "signed policy version 7 with policy key next"
run_ok rotated
expect_ok svctl policy status
expect_contains "$LAST_OUT" "signed policy: version 7 signed by next"

grep -q '"verdict":"deny"' "$E2E_DIR/decisions.log" && pass "decision log has the denies" || fail "no deny logged"
[[ $E2E_FAILED -eq 0 ]] || exit 1
echo "PASS: signed policy"
