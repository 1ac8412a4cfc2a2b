#!/bin/bash
# verifiedctl audit on a mixed host (seed 001's report, against the real policy): a container
# started under runc before verified was installed, a compliant one, a non-compliant one
# started under verified in audit mode, one started with --runtime=runc after install, plus a
# containerd task and a Podman container when those engines are present. Table and JSON, the
# whitelist/blacklist modes, --layers, and exit codes 0/1/2.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_need python3
CTR1="ctr1-$E2E_RUN_ID"   # a ctr task in namespace e2e

PM=(podman --root "$E2E_DIR/pm/root" --runroot "$E2E_DIR/pm/run" --tmpdir "$E2E_DIR/pm/tmp"
    --cgroup-manager=cgroupfs --events-backend=file)
e2e_extra_cleanup() {
  if [[ -n "${CTR_SOCK:-}" ]]; then
    ctr -a "$CTR_SOCK" -n e2e task kill -s KILL "$CTR1" > /dev/null 2>&1
    sleep 0.5
    ctr -a "$CTR_SOCK" -n e2e task delete -f "$CTR1" > /dev/null 2>&1
    ctr -a "$CTR_SOCK" -n e2e container rm "$CTR1" > /dev/null 2>&1
  fi
  [[ -n "${PODMAN_USED:-}" ]] && "${PM[@]}" rm -a -f -t 0 > /dev/null 2>&1
}

# row NAME [FILE]: the table line of container NAME.
row() { awk -v n="$1" '$2 == n' <<< "$AUDIT_OUT"; }
# json_check PYTHON-EXPRESSION WHAT: evaluates against j (the JSON report) and c (by name).
json_check() {
  printf '%s' "$AUDIT_JSON" > "$E2E_DIR/audit.json"
  if python3 - "$1" "$E2E_DIR/audit.json" > /dev/null 2>&1 <<'PY'
import json, sys
j = json.load(open(sys.argv[2]))
c = {r["name"]: r for r in j["containers"]}
sys.exit(0 if eval(sys.argv[1]) else 1)
PY
  then pass "json: $2"; else fail "json: $2 ($1)"; fi
}
audit() {  # audit ARGS...: runs the audit, keeps output and exit status
  AUDIT_OUT=$(vctl audit "$@" 2>&1)
  AUDIT_RC=$?
}
expect_rc() {
  if [[ $AUDIT_RC -eq $1 ]]; then pass "audit exit $1 ($2)"; else fail "audit exit $AUDIT_RC, expected $1 ($2): $AUDIT_OUT"; fi
}

e2e_log "a host before verified: dockerd with no verified runtime"
echo '{}' > "$E2E_DIR/daemon.json"
e2e_start_docker
GOOD=('USER 1000' 'HEALTHCHECK CMD true' 'LABEL maintainer=security-team@example.com')
e2e_build_image good:1 "${GOOD[@]}"
e2e_build_image legacy:1 'LABEL legacy=1'
d run -d --name legacy --network=none legacy:1 sleep 1000 > /dev/null || fail "legacy run"

e2e_log "install verified into the running daemon; policy: good (registered, non_root) + baseline"
expect_ok vctl install docker --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME"
e2e_reload_docker
e2e_wait_for 20 sh -c "'$DOCKER_CLI' info 2>/dev/null | grep -q verified" || fail "runtime verified not loaded"
expect_ok vctl register good:1
expect_ok vctl policy allow good --require registered --require non_root
expect_ok vctl policy baseline protect_host
d run -d --name good --network=none --runtime=verified good:1 sleep 1000 > /dev/null || fail "good run"
expect_ok vctl policy mode audit
d run -d --name rooted --network=none --runtime=verified --user 0 good:1 sleep 1000 > /dev/null \
  || fail "rooted run (audit mode)"
expect_ok vctl policy mode enforce
d run -d --name hostbind --network=none --runtime=runc -v /etc:/host-etc:ro good:1 sleep 1000 \
  > /dev/null || fail "hostbind run"
d create --name created --network=none legacy:1 true > /dev/null || fail "docker create"

e2e_log "a containerd task (ctr run, as Kubernetes drives the shim) and a Podman container"
CTR_SOCK="$E2E_DIR/docker/containerd/c.sock"
CTD_STATE="$E2E_DIR/docker/containerd/state"
d save good:1 | ctr -a "$CTR_SOCK" -n e2e images import - > /dev/null 2>&1 || fail "ctr import"
ctr -a "$CTR_SOCK" -n e2e run -d --runc-binary "$(command -v runc)" docker.io/library/good:1 "$CTR1" \
  sleep 1000 > /dev/null 2>&1 || fail "ctr run"
HAVE_PODMAN=0
if command -v podman > /dev/null; then
  mkdir -p "$E2E_DIR/pm/tmp"
  PODMAN_USED=1
  d save good:1 | "${PM[@]}" load > /dev/null 2>&1 || fail "podman load"
  # Podman is installed: a container it cannot run is a failure, not a smaller test.
  if pm_out=$("${PM[@]}" run -d --name pmtest --runtime "$(command -v runc)" --network=none \
      --ulimit nofile=20000:20000 --ulimit nproc=32768:32768 good:1 sleep 1000 2>&1); then
    HAVE_PODMAN=1
  else
    fail "podman is installed but could not run a container under runc: $pm_out"
  fi
else
  # Absent: the rest runs, then the test ends as SKIPPED (not PASSED) at the bottom.
  echo "NOTE: podman is not installed: the Podman part will not run; the test will report SKIPPED"
fi
ENGINES=(--containerd-state "$CTD_STATE" --podman-root "$E2E_DIR/pm/root"
         --podman-runroot "$E2E_DIR/pm/run")

e2e_log "table: every running container, its runtime and verdict (exit 1: some do not comply)"
audit "${ENGINES[@]}"
expect_rc 1 "mixed host"
echo "$AUDIT_OUT"
expect_contains "$(row legacy)" "legacy:1"
expect_contains "$(row legacy)" " runc " "legacy row"
expect_contains "$(row legacy)" "DENY" "legacy row"
expect_contains "$(row legacy)" "no rule allows it" "legacy row"
expect_contains "$(row good)" " verified " "good row"
expect_contains "$(row good)" "allow" "good row"
expect_contains "$(row rooted)" " verified " "rooted row"
expect_contains "$(row rooted)" "requires non_root: the process runs as uid 0" "rooted row"
expect_contains "$(row hostbind)" " runc " "hostbind row"
expect_contains "$(row hostbind)" "the host baseline requires protect_host" "hostbind row"
expect_contains "$(row hostbind)" "bind mount of /etc at /host-etc" "hostbind row"
[[ -n "$(row "e2e/$CTR1")" ]] && pass "containerd task e2e/$CTR1 listed" || fail "containerd task not listed"
[[ -z "$(row created)" ]] && pass "created container not listed without --all" || fail "created listed"
expect_contains "$AUDIT_OUT" "docker 4" "summary (Docker containers reported once, not again as moby tasks)"
if [[ $HAVE_PODMAN -eq 1 ]]; then
  [[ -n "$(row pmtest)" ]] && pass "podman container listed" || fail "podman container not listed"
  expect_contains "$(row pmtest)" "runc" "podman row runtime"
fi

e2e_log "JSON: the same report for programs"
audit --format json "${ENGINES[@]}"
expect_rc 1 "json"
AUDIT_JSON=$AUDIT_OUT
good_id=$(d image inspect --format '{{.Id}}' good:1)
good_chain=$(vctl list --json | python3 -c 'import json,sys; r=json.load(sys.stdin); r=r if isinstance(r,list) else r.get("images",r); print([x for x in r if x["name"].endswith("/good:1")][0]["chain_ids"][-1])')
json_check "j['exit_code'] == 1 and j['mode'] == 'policy'" "exit_code and mode"
json_check "c['good']['compliant'] and c['good']['runtime'] == 'verified'" "good compliant under verified"
json_check "c['good']['image_id'] == '$good_id'" "good image id is docker's"
json_check "c['good']['top_chain_id'] == '$good_chain'" "good top chainID is the registered one"
json_check "c['good']['spec_evaluated'] and c['good']['bundle'].endswith(c['good']['container'])" "spec read from the bundle"
json_check "not c['legacy']['compliant'] and c['legacy']['runtime'] == 'runc'" "legacy (runc, before install) refused"
json_check "not c['rooted']['compliant'] and 'non_root' in c['rooted']['verdict']['reason']" "rooted refused for non_root"
json_check "any('protect_host' in r for r in c['hostbind']['reasons'])" "hostbind refused by the baseline"
json_check "c['e2e/$CTR1']['engine'] == 'containerd' and c['e2e/$CTR1']['runtime'].endswith('runc')" "containerd task found with its runtime"
json_check "len([r for r in j['containers'] if r['engine'] == 'docker']) == 4" "docker containers once each"
json_check "j['summary']['compliant'] >= 1 and j['summary']['noncompliant'] >= 3" "summary"
[[ $HAVE_PODMAN -eq 1 ]] && json_check "c['pmtest']['engine'] == 'podman' and c['pmtest']['bundle'] != ''" "podman container found with its bundle"

e2e_log "--all adds containers that are not running"
audit --all --engine docker
[[ -n "$(row created)" ]] && pass "created container listed with --all" || fail "created not listed"
expect_contains "$(row created)" "DENY" "created row"

e2e_log "--layers: diffID, chainID and size of each layer"
audit --engine docker --layers
expect_contains "$AUDIT_OUT" "layer   1  diff sha256:"
audit --engine docker --layers --format json
AUDIT_JSON=$AUDIT_OUT
size=$(cat "$DOCKER_DATA/image/overlay2/layerdb/sha256/${good_chain#sha256:}/size")
json_check "c['good']['layers'][-1]['chain_id'] == '$good_chain' and c['good']['layers'][-1]['size'] == $size" "layer size from the layer store ($size bytes)"

e2e_log "seed 001's whitelist and blacklist modes"
printf '# comment\n# blank lines are ignored\n\n  good  \n' > "$E2E_DIR/images.txt"
audit --engine docker --mode whitelist --image-file "$E2E_DIR/images.txt"
expect_rc 1 "whitelist with legacy running"
expect_contains "$(row good)" "allow" "whitelist good row"
expect_contains "$(row legacy)" "not listed in the whitelist" "whitelist legacy row"
printf 'legacy\n^leg.*\n' > "$E2E_DIR/black.txt"
audit --engine docker --mode blacklist --image-file "$E2E_DIR/black.txt" --format json
AUDIT_JSON=$AUDIT_OUT
expect_rc 1 "blacklist"
json_check "not c['legacy']['compliant'] and c['good']['compliant'] and c['rooted']['compliant']" "blacklist verdicts"
json_check "c['legacy']['verdict']['rule'] == \"blacklist line 1 'legacy'\"" "blacklist names the line"

e2e_log "exit 2: the audit cannot be completed"
DOCKER_HOST="unix://$E2E_DIR/nonexistent.sock" audit --engine docker
expect_rc 2 "unreachable docker"
expect_contains "$AUDIT_OUT" "error: docker at unix://$E2E_DIR/nonexistent.sock"
audit --mode whitelist --image-file "$E2E_DIR/missing.txt"
expect_rc 2 "missing image file"
printf 'regex:([\n' > "$E2E_DIR/bad.txt"
audit --mode blacklist --image-file "$E2E_DIR/bad.txt"
expect_rc 2 "malformed image file"
expect_contains "$AUDIT_OUT" "line 1"
cp "$CFG/policy.json" "$E2E_DIR/policy.good"
echo '{"rules": [' > "$CFG/policy.json"
audit --engine docker
expect_rc 2 "malformed policy"
cp "$E2E_DIR/policy.good" "$CFG/policy.json"

e2e_log "exit 0 once only compliant containers run"
d rm -f legacy rooted hostbind created > /dev/null
audit --engine docker
expect_rc 0 "only compliant containers"
expect_contains "$AUDIT_OUT" "1 containers (docker 1): 1 compliant, 0 not"

if ! command -v podman > /dev/null; then
  e2e_skip "podman is not installed: the docker and containerd parts passed, the Podman part did not run"
fi
