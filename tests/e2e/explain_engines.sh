#!/bin/bash
# verifiedctl explain for containers of every engine, not only Docker's: a Podman container and
# a containerd task (`ctr run`, as Kubernetes drives the shim) are found by id without saying
# which engine holds them, and explain gives the verdict the runtime wrote in its decision log
# when it created them (same decision function, verifier/decision/decide.h): allowed for a
# registered image, refused (same rule) for an unregistered one, and refused for a task that
# bypassed verified (started with plain runc).
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need containerd ctr runc /usr/bin/python3
source "$(dirname "$0")/podman_lib.sh"
CTR_GOOD="good-$E2E_RUN_ID" CTR_BYPASS="bypass-$E2E_RUN_ID"
e2e_extra_cleanup() {
  pm rm -fa -t 0 > /dev/null 2>&1
  if [[ -n "${CTD:-}" ]]; then
    local id
    for id in "$CTR_GOOD" "$CTR_BYPASS"; do
      "${C[@]}" task kill -s KILL "$id" > /dev/null 2>&1
      sleep 0.3
      "${C[@]}" task delete -f "$id" > /dev/null 2>&1
      "${C[@]}" container rm "$id" > /dev/null 2>&1
    done
  fi
}

# log_verdict ID: "<verdict> <rule>" of the runtime's create decision for container ID.
log_verdict() {
  /usr/bin/python3 - "$E2E_DIR/decisions.log" "$1" <<'PY'
import json, sys
last = None
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["container"] == sys.argv[2] and r["command"] in ("create", "run"):
        last = r
print("%s %s" % (last["verdict"], last["rule"]) if last else "none")
PY
}
# explain_verdict: "<decision> <rule>" of the last `verifiedctl explain --json` output.
explain_verdict() {
  /usr/bin/python3 -c 'import json,sys; v=json.load(open(sys.argv[1]))["verdict"]; print(v["decision"], v["rule"])' \
    "$E2E_DIR/explain.json" 2> /dev/null || echo "no verdict: $(cat "$E2E_DIR/explain.err")"
}
# same_as_log ID WANT RC WHAT: explain agrees with the decision log, which says WANT.
same_as_log() {
  local logged explained
  logged=$(log_verdict "$1")
  # No engine named: explain searches every engine it can reach.
  vctl explain --json "$1" "${ENGINES[@]}" > "$E2E_DIR/explain.json" 2> "$E2E_DIR/explain.err"
  EXPLAIN_RC=$?
  explained=$(explain_verdict)
  [[ $logged == "$2 "* ]] && pass "$4: the runtime logged $logged" || fail "$4: decision log says '$logged', expected $2"
  [[ $explained == "$logged" ]] && pass "$4: explain says the same ($explained)" \
    || fail "$4: explain says '$explained', the runtime logged '$logged'"
  [[ $EXPLAIN_RC -eq $3 ]] && pass "$4: explain exit $3" || fail "$4: explain exit $EXPLAIN_RC, expected $3"
}

e2e_log "images built with podman; localhost/good registered, the default denies the rest"
pm_build good:1
pm_build bad:1 'LABEL bad=1'
expect_ok pvctl register good:1
expect_ok vctl policy allow localhost/good --require registered
e2e_start_runtime_containerd
ENGINES=(--containerd-state "$CTD/state" --podman-root "$PR/root" --podman-runroot "$PR/runroot")

e2e_log "podman: a registered image runs under verified; explain finds it by id and agrees"
GOOD_ID=$(pm_verified run -d --network=none "${ULIMITS[@]}" good:1 sleep 1000) || fail "podman run good"
same_as_log "$GOOD_ID" allow 0 "podman good"
expect_ok vctl explain "${GOOD_ID:0:12}" "${ENGINES[@]}"
expect_contains "$LAST_OUT" "engine:     podman"
expect_contains "$LAST_OUT" "ALLOWED"

e2e_log "podman: an unregistered image is refused; explain of the created container agrees"
expect_fail pm_verified run --name pmbad --network=none "${ULIMITS[@]}" bad:1 true
BAD_ID=$(pm inspect --format '{{.Id}}' pmbad) || fail "podman kept no container for pmbad"
same_as_log "$BAD_ID" deny 1 "podman bad"
expect_fail vctl explain pmbad "${ENGINES[@]}"
expect_contains "$LAST_OUT" "no rule allows it"
expect_contains "$LAST_OUT" "not running"

e2e_log "containerd: ctr run --runc-binary verified-runtime; explain finds the task and agrees"
pm save -o "$E2E_DIR/good.tar" localhost/good:1 > /dev/null 2>&1 || fail "podman save good"
pm save -o "$E2E_DIR/bad.tar" localhost/bad:1 > /dev/null 2>&1 || fail "podman save bad"
expect_ok "${C[@]}" images import "$E2E_DIR/good.tar"
expect_ok "${C[@]}" images import "$E2E_DIR/bad.tar"
expect_ok "${C[@]}" run -d --runc-binary "$VERIFIED_RUNTIME" localhost/good:1 "$CTR_GOOD" sleep 1000
same_as_log "$CTR_GOOD" allow 0 "containerd good"
expect_ok vctl explain "$CTR_GOOD" --engine containerd --containerd-state "$CTD/state"
expect_contains "$LAST_OUT" "engine:     containerd"
expect_contains "$LAST_OUT" "bundle:"

e2e_log "containerd: a task started with plain runc (verified bypassed) is explained as refused"
expect_ok "${C[@]}" run -d --runc-binary "$(command -v runc)" localhost/bad:1 "$CTR_BYPASS" sleep 1000
[[ $(log_verdict "$CTR_BYPASS") == none ]] && pass "the runtime never saw it" || fail "bypass task in the decision log"
expect_fail vctl explain "$CTR_BYPASS" "${ENGINES[@]}"
expect_contains "$LAST_OUT" "REFUSED"
expect_contains "$LAST_OUT" "no rule allows it"

e2e_log "unknown and ambiguous names are errors (exit 2)"
vctl explain "no-such-container-$E2E_RUN_ID" "${ENGINES[@]}" > "$E2E_DIR/out" 2>&1
rc=$?
[[ $rc -eq 2 ]] && pass "unknown container: exit 2" || fail "unknown container: exit $rc: $(cat "$E2E_DIR/out")"
expect_contains "$(cat "$E2E_DIR/out")" "no container 'no-such-container-$E2E_RUN_ID'"
