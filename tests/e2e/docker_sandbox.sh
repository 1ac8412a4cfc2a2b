#!/bin/bash
# The create decision runs in the sandbox (shim/sandbox.h) through the real dockerd: allowed
# and refused creates behave as before, and every decision-log line says how the decision was
# confined (seccomp always; Landlock where the kernel has it). VERIFIED_SANDBOX=off says so.
source "$(dirname "$0")/lib.sh"
# Opt-in for now (docs/sandbox.md): dockerd passes its environment on to the runtime.
export VERIFIED_SANDBOX=on
e2e_init
e2e_start_docker

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")
CANARY='touch /canary/$CANARY_NAME; echo hello-from-container'
LOG="$E2E_DIR/decisions.log"
# What the decision log must say: the child's confinement, as ConfineSelf describes it.
WANT='no_new_privs, limits, (landlock ABI [0-9]+|no landlock \(kernel lacks it\)), seccomp'
last_sandbox() { tail -1 "$LOG" | jq -r '.sandbox // "(none)"'; }

e2e_log "build and register app:1; allow app with the registered requirement"
e2e_build_image app:1
e2e_build_image other:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered

e2e_log "a registered image runs, decided in the sandbox"
expect_ok "${RUN[@]}" -e CANARY_NAME=registered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/registered"
got=$(last_sandbox)
[[ $got =~ ^$WANT$ ]] && pass "allow logged as sandboxed: $got" || fail "allow: sandbox is '$got', not /$WANT/"
tail -1 "$LOG" | jq -e '.allowed == true and .verdict == "allow"' > /dev/null \
  && pass "decision log: allow" || fail "decision log: $(tail -1 "$LOG")"

e2e_log "an unregistered image is refused, decided in the sandbox, with the same message"
expect_fail "${RUN[@]}" -e CANARY_NAME=unregistered other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image other:1"
expect_contains "$LAST_OUT" "no rule allows it and the policy default is deny"
expect_no_file "$E2E_DIR/canary/unregistered"
got=$(last_sandbox)
[[ $got =~ ^$WANT$ ]] && pass "deny logged as sandboxed: $got" || fail "deny: sandbox is '$got', not /$WANT/"

e2e_log "a store the decision reads through the sandbox: the tampered tag is still refused"
ctx=$(mktemp -d "$E2E_DIR/tamper.XXXXXX")
printf 'FROM app:1\nRUN echo tamper test >> /tamper.txt\n' > "$ctx/Dockerfile"
d build -q -t app:1 "$ctx" > /dev/null || fail "tampered build"
expect_fail "${RUN[@]}" -e CANARY_NAME=tampered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "requires registered: layer chain differs from the registration"
expect_no_file "$E2E_DIR/canary/tampered"

e2e_log "VERIFIED_SANDBOX=off decides unconfined, and the log says so"
lines=$(wc -l < "$LOG")
VERIFIED_SANDBOX=off "$VERIFIED_RUNTIME" --config-dir "$CFG" create --bundle "$E2E_DIR/no-bundle" sbx-off \
  > "$E2E_DIR/off.out" 2>&1 && fail "a create without a bundle was allowed"
[[ $(wc -l < "$LOG") -eq $((lines + 1)) ]] && pass "one line for the unsandboxed decision" || fail "no line"
got=$(last_sandbox)
[[ $got == "off (VERIFIED_SANDBOX is not on)" ]] && pass "logged: $got" || fail "sandbox off logged as '$got'"
env -u VERIFIED_SANDBOX "$VERIFIED_RUNTIME" --config-dir "$CFG" create --bundle "$E2E_DIR/no-bundle" sbx-default \
  > "$E2E_DIR/default.out" 2>&1 && fail "a create without a bundle was allowed"
got=$(last_sandbox)
[[ $got == "off (VERIFIED_SANDBOX is not on)" ]] && pass "off by default: $got" || fail "default logged as '$got'"
"$VERIFIED_RUNTIME" --config-dir "$CFG" create --bundle "$E2E_DIR/no-bundle" sbx-on \
  > "$E2E_DIR/on.out" 2>&1 && fail "a create without a bundle was allowed"
expect_contains "$(cat "$E2E_DIR/on.out")" "verified: refused container sbx-on"
got=$(last_sandbox)
[[ $got =~ ^$WANT$ ]] && pass "the same refusal, sandboxed: $got" || fail "sandbox is '$got'"

