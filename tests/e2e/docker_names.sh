#!/bin/bash
# Issue 10, part 2: names are labels anyone who can `docker tag` adds. An image tagged
# evil/tool:1 and re-tagged fine/tool:1 must still meet `deny evil/*` when run as fine/tool:1,
# whether the policy's default is allow or an allow rule without `registered` comes first.
# Registry hosts are case-insensitive and Docker Hub has aliases: a deny rule written
# EVIL.IO/* or REGISTRY-1.DOCKER.IO/hub/* refuses an image tagged in another spelling.
# Every refused container would touch /canary/NAME; none may.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")
run_canary() {  # run_canary NAME IMAGE: the container touches /canary/NAME
  "${RUN[@]}" "$2" sh -c "touch /canary/$1; echo ran-$1"
}
refused() {  # refused NAME IMAGE MESSAGE...
  local name=$1 image=$2 msg; shift 2
  expect_fail run_canary "$name" "$image"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image $image" "$name"
  for msg in "$@"; do expect_contains "$LAST_OUT" "$msg" "$name"; done
  expect_no_file "$E2E_DIR/canary/$name"
}
allowed() {  # allowed NAME IMAGE
  expect_ok run_canary "$1" "$2"
  expect_contains "$LAST_OUT" "ran-$1"
  expect_file "$E2E_DIR/canary/$1"
}

e2e_log "images: evil/tool:1 re-tagged fine/tool:1, and an innocent one"
e2e_build_image evil/tool:1
d tag evil/tool:1 fine/tool:1
e2e_build_image innocent:1
d tag innocent:1 fine/ok:1
EVIL_ID=$(d image inspect -f '{{.Id}}' evil/tool:1)

e2e_log "policy: default allow, deny evil/*"
expect_ok vctl policy default allow
expect_ok vctl policy deny 'evil/*'
refused default-allow-retag fine/tool:1 "deny rule 1 'evil/*'" "also tagged evil/tool:1"
echo "docker shows: $(grep -m1 'docker: Error' <<< "$LAST_OUT")"
refused default-allow-evil evil/tool:1 "it matches deny rule 1 'evil/*'"
expect_fail run_canary default-allow-id "$EVIL_ID"
expect_contains "$LAST_OUT" "tagged evil/tool:1, which matches deny rule 1 'evil/*'" "run by ID"
expect_no_file "$E2E_DIR/canary/default-allow-id"
allowed default-allow-innocent fine/ok:1
tail -3 "$E2E_DIR/decisions.log" | grep -q '"verdict":"deny".*"rule":"rule 1 '"'"'evil/\*'"'"'"' \
  && pass "decision log names the deny rule" || fail "decision log: $(tail -3 "$E2E_DIR/decisions.log")"

e2e_log "policy: default deny, allow fine/* (no registered) before deny evil/*"
expect_ok vctl policy remove 'evil/*'
expect_ok vctl policy default deny
expect_ok vctl policy allow 'fine/*'
expect_ok vctl policy deny 'evil/*'
refused allow-rule-retag fine/tool:1 "deny rule 2 'evil/*'" "also tagged evil/tool:1"
allowed allow-rule-innocent fine/ok:1

e2e_log "untagged from evil/*, only a rule that binds bytes refuses it: fine/* --require registered"
expect_ok d rmi evil/tool:1   # removes the tag only: fine/tool:1 still names the image
expect_ok vctl register fine/ok:1
expect_ok vctl policy allow 'fine/*' --require registered   # replaces rule 1 in place
refused untagged-registered fine/tool:1 "requires registered: fine/tool:1 is not registered"
allowed registered-innocent fine/ok:1

e2e_log "registry host spellings: EVIL.IO/* and REGISTRY-1.DOCKER.IO/hub/*"
expect_ok vctl policy remove 'fine/*'
expect_ok vctl policy remove 'evil/*'
expect_ok vctl policy default allow
expect_ok vctl policy deny 'EVIL.IO/*'
expect_ok vctl policy deny 'REGISTRY-1.DOCKER.IO/hub/*'
e2e_build_image evil.io/tool:1
d tag evil.io/tool:1 fine/c1:1
refused host-lower fine/c1:1 "deny rule 1 'EVIL.IO/*'" "also tagged evil.io/tool:1"
e2e_build_image Evil.Io/tool:2
d tag Evil.Io/tool:2 fine/c2:1
refused host-mixed fine/c2:1 "deny rule 1 'EVIL.IO/*'" "also tagged evil.io/tool:2"
refused host-mixed-typed Evil.Io/tool:2 "it matches deny rule 1 'EVIL.IO/*'"
e2e_build_image hub/tool:3
d tag hub/tool:3 fine/c3:1
refused hub-alias fine/c3:1 "deny rule 2 'REGISTRY-1.DOCKER.IO/hub/*'" "also tagged hub/tool:3"
e2e_build_image registry-1.docker.io/hub/tool:4
d tag registry-1.docker.io/hub/tool:4 fine/c4:1
refused hub-alias-tag fine/c4:1 "deny rule 2 'REGISTRY-1.DOCKER.IO/hub/*'" "also tagged hub/tool:4"
allowed host-innocent fine/ok:1

e2e_log "policy edit and lint compare patterns normalised"
expect_ok vctl policy deny 'evil.io/*'   # the same rule as EVIL.IO/*: replaced in place
expect_ok vctl policy show
expect_contains "$LAST_OUT" "# 2 rules" "policy show"
expect_contains "$LAST_OUT" '"match": "evil.io/*"' "policy show"
refused host-after-edit fine/c1:1 "deny rule 1 'evil.io/*'"
expect_ok vctl policy remove 'index.docker.io/hub/*'
expect_ok vctl policy show
expect_contains "$LAST_OUT" "# 1 rules" "policy show"
allowed hub-after-remove fine/c3:1
