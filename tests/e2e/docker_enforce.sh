#!/bin/bash
# Docker (overlay2) under --runtime=verified: registered images run, everything else is
# refused before the container's first instruction, with the message the user sees.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")
CANARY='touch /canary/$CANARY_NAME; echo hello-from-container'

e2e_log "build and register app:1; allow app with the registered requirement"
e2e_build_image app:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered
expect_ok vctl policy lint

e2e_log "a registered image runs and prints its output"
expect_ok "${RUN[@]}" -e CANARY_NAME=registered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/registered"
expect_ok vctl check app:1

e2e_log "seed 000's tamper: the same tag rebuilt with one extra RUN line"
ctx=$(mktemp -d "$E2E_DIR/tamper.XXXXXX")
printf 'FROM app:1\nRUN echo tamper test >> /tamper.txt\n' > "$ctx/Dockerfile"
d build -q -t app:1 "$ctx" > /dev/null || fail "tampered build"
expect_fail "${RUN[@]}" -e CANARY_NAME=tampered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image app:1"
expect_contains "$LAST_OUT" "requires registered: layer chain differs from the registration"
expect_contains "$LAST_OUT" "$(vctl list --json | jq -r '.[] | select(.name == "docker.io/library/app:1") | .chain_ids[-1]')" "message (registered top chainID)"
expect_no_file "$E2E_DIR/canary/tampered"
expect_fail vctl check app:1
expect_refused_check "REFUSED" "requires registered: layer chain differs from the registration"
grep -q '"verdict":"deny"' "$E2E_DIR/decisions.log" && pass "decision log has the deny" || fail "no deny in decision log"

e2e_log "an unregistered image (no rule allows it; default deny)"
e2e_build_image other:1 'LABEL other=1'
expect_fail "${RUN[@]}" -e CANARY_NAME=unregistered other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "verified: refused image other:1"
expect_contains "$LAST_OUT" "no rule allows it and the policy default is deny"
expect_no_file "$E2E_DIR/canary/unregistered"

e2e_log "a denied pattern (first match wins, before an allow)"
e2e_build_image evil/tool:1 'LABEL evil=1'
expect_ok vctl register evil/tool:1
expect_ok vctl policy allow 'evil/**' --require registered
rules_file="$CFG/policy.json"
python3 - "$rules_file" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["rules"].insert(0, {"regex": "^evil/.*", "action": "deny"})
json.dump(p, open(sys.argv[1], "w"), indent=2)
PY
expect_fail "${RUN[@]}" -e CANARY_NAME=denied evil/tool:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "it matches deny rule 1 regex '^evil/.*'"
expect_no_file "$E2E_DIR/canary/denied"

e2e_log "the tampered image is allowed, and logged as a deny, in audit mode"
expect_ok vctl policy mode audit
expect_ok "${RUN[@]}" -e CANARY_NAME=audit app:1 sh -c "$CANARY"
expect_file "$E2E_DIR/canary/audit"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"verdict":"deny".*"mode":"audit"' \
  && pass "audit decision logged as deny" || fail "audit decision not logged: $(tail -1 "$E2E_DIR/decisions.log")"
expect_ok vctl policy mode enforce

e2e_log "a malformed policy refuses everything, saying what is wrong"
cp "$CFG/policy.json" "$E2E_DIR/policy.good"
echo '{"rules": [' > "$CFG/policy.json"
expect_fail "${RUN[@]}" -e CANARY_NAME=malformed other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "malformed JSON"
expect_no_file "$E2E_DIR/canary/malformed"
echo '{"rules": [{"match": "app", "action": "allow", "require": {"registred": true}}]}' > "$CFG/policy.json"
expect_fail "${RUN[@]}" app:1 true
expect_contains "$LAST_OUT" "unknown requirement 'registred'"

e2e_log "a missing policy refuses everything"
rm "$CFG/policy.json"
expect_fail "${RUN[@]}" -e CANARY_NAME=missing other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "policy.json is missing"
expect_no_file "$E2E_DIR/canary/missing"

e2e_log "a world-writable policy refuses everything"
cp "$E2E_DIR/policy.good" "$CFG/policy.json"
chmod 666 "$CFG/policy.json"
expect_fail "${RUN[@]}" app:1 true
expect_contains "$LAST_OUT" "is writable by everyone"
chmod 644 "$CFG/policy.json"

e2e_log "an image run by ID matches its registration by chain"
e2e_build_image app:2 'LABEL v=2'
expect_ok vctl register app:2
id=$(d image inspect --format '{{.Id}}' app:2)
expect_ok "${RUN[@]}" "$id" echo by-id-ok
expect_contains "$LAST_OUT" "by-id-ok"

e2e_log "explain shows provenance of an existing container"
cid=$(d run -d --network=none --runtime=verified app:2 sleep 30)
expect_ok vctl explain "$cid"
expect_contains "$LAST_OUT" "mount at root.path checked"
expect_contains "$LAST_OUT" "ALLOWED"
d rm -f "$cid" > /dev/null
