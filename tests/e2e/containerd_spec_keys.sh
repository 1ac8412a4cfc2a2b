#!/bin/bash
# The spec verified checks must be the spec runc runs. runc decodes config.json with Go's
# encoding/json: keys match fields case-insensitively and a later duplicate wins (duplicated
# objects merge). containerd stores a client's spec bytes verbatim and its shim writes them to
# config.json unchanged, so any containerd API client (containerd_raw_spec.py here; ctr itself
# re-encodes --config) can append "Process", "Root" or "Mounts" after the approved keys:
#  1. with plain runc, each appended key really wins (the attack is real);
#  2. under verified, each is refused with the duplicate-key message and nothing runs;
#  3. the same spec bytes without the duplicate run (positive control);
#  4. "Mounts" with no "mounts" (no duplicate at all) is taken by runc, refused by verified.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
e2e_init
e2e_need containerd ctr umoci busybox runc jq
/usr/bin/python3 -c 'import grpc' 2> /dev/null \
  || e2e_skip "python3-grpcio is not installed (apt-get install python3-grpcio; scripts/install-deps.sh does)"
RUNC=$(command -v runc)
RAW_CLIENT="$(dirname "$0")/containerd_raw_spec.py"

e2e_log "a private containerd and a registered, allowed image"
e2e_start_runtime_containerd
raw() { /usr/bin/python3 "$RAW_CLIENT" "$CTD/c.sock" default "$@"; }
oci_image "$E2E_DIR/oci" 1 app-1 > /dev/null || e2e_abort "umoci image"
oci_archive "$E2E_DIR/oci" "$E2E_DIR/app.tar"
expect_ok "${C[@]}" images import --base-name docker.io/library/app "$E2E_DIR/app.tar"
expect_ok vctl register app:1 --engine containerd
expect_ok vctl policy allow app --require registered

# A root filesystem no image of this containerd has: what "Root" would smuggle in.
OTHER="$E2E_DIR/other-root"
mkdir -p "$OTHER/bin" "$OTHER/proc" "$OTHER/dev" "$OTHER/sys" "$OTHER/tmp" "$OTHER/canary"
cp /bin/busybox "$OTHER/bin/busybox"
for app in sh touch echo test; do ln -s busybox "$OTHER/bin/$app"; done
touch "$OTHER/smuggled"

BIND='{"destination":"/canary","type":"bind","source":"'"$E2E_DIR/canary"'","options":["rbind","rw"]}'
# Two helper containers made by ctr give the specs to start from (ctr's own, image process,
# env and mounts) and the snapshots the test containers use; they never run. Their process
# writes no canary under its own spec: "bound" has the canary directory bound at /canary and
# touches /canary/$CANARY_NAME only where /smuggled exists (the other root); "unbound" touches
# /canary/$CANARY_NAME but has nothing bound there.
"${C[@]}" containers create \
  --mount "type=bind,src=$E2E_DIR/canary,dst=/canary,options=rbind:rw" \
  -- docker.io/library/app:1 "e2e-$E2E_RUN_ID-bound" \
  sh -c 'test -e /smuggled && touch /canary/$CANARY_NAME; echo approved-process' > /dev/null \
  || e2e_abort "ctr containers create (bound)"
"${C[@]}" containers create -- docker.io/library/app:1 "e2e-$E2E_RUN_ID-unbound" \
  sh -c 'touch /canary/$CANARY_NAME 2> /dev/null; echo approved-process' > /dev/null \
  || e2e_abort "ctr containers create (unbound)"
for h in bound unbound; do
  raw get-spec "e2e-$E2E_RUN_ID-$h" > "$E2E_DIR/$h.json" || e2e_abort "get-spec $h"
done

n=0
# create NAME RUNTIME_BINARY KIND [KEY JSON]: container ID from the helper's spec (canary name,
# own cgroup, then the jq filter $EDIT if set, with $b the canary bind), its bytes followed by
# `,"KEY":JSON` when given, stored as they are.
create() {
  local name=$1 bin=$2 kind=$3 key=${4:-} extra=${5:-} helper=bound text
  [[ $kind == Mounts ]] && helper=unbound
  n=$((n + 1))
  ID="e2e-$E2E_RUN_ID-$n"
  BASE="$E2E_DIR/$ID.base.json"
  jq -c --arg id "$ID" --arg name "$name" --argjson b "$BIND" \
    '.process.env += ["CANARY_NAME=" + $name] | .linux.cgroupsPath = "/default/" + $id | '"${EDIT:-.}" \
    "$E2E_DIR/$helper.json" > "$BASE"
  text=$(cat "$BASE")
  if [[ -n $key ]]; then text="${text%\}},\"$key\":$extra}"; fi
  printf '%s' "$text" > "$E2E_DIR/$ID.json"
  raw create "$ID" docker.io/library/app:1 "e2e-$E2E_RUN_ID-$helper" "$bin" "$E2E_DIR/$ID.json" \
    || fail "raw create $ID"
  if [[ -n $key ]]; then
    raw get-spec "$ID" | grep -qF "\"$key\":" && pass "containerd stored the spec with \"$key\" verbatim" \
      || fail "containerd did not store \"$key\" verbatim"
  fi
}
# smuggled KIND NAME: what the appended key holds for each attack.
smuggled() {
  local kind=$1 name=$2
  case $kind in
    Process) jq -c --arg n "$name" \
      '.process | .args = ["sh", "-c", "touch /canary/" + $n + "; echo smuggled-process"]' \
      "$E2E_DIR/bound.json" ;;
    Root) echo '{"path":"'"$OTHER"'"}' ;;
    Mounts) jq -c --argjson b "$BIND" '.mounts + [$b]' "$E2E_DIR/unbound.json" ;;
  esac
}
start() {  # start: the task of $ID, attached; output in LAST_OUT
  "${C[@]}" tasks start "$ID"
}
done_with() {  # the task goes; the container stays (`ctr containers rm` would remove the
  # helper's snapshot it shares), and the private containerd goes at exit
  "${C[@]}" tasks rm -f "$ID" > /dev/null 2>&1 || true
}

for kind in Process Root Mounts; do
  e2e_log "$kind: with plain runc the appended \"$kind\" wins"
  create "plain-$kind" "$RUNC" "$kind" "$kind" "$(smuggled "$kind" "plain-$kind")"
  expect_ok start
  expect_file "$E2E_DIR/canary/plain-$kind"
  done_with

  e2e_log "$kind: under verified the same spec is refused and nothing runs"
  create "verified-$kind" "$VERIFIED_RUNTIME" "$kind" "$kind" "$(smuggled "$kind" "verified-$kind")"
  expect_fail start
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified:"
  lower=$(tr 'A-Z' 'a-z' <<< "$kind")
  expect_contains "$LAST_OUT" "the top-level object has keys \"$lower\" and \"$kind\" that runc's decoder treats as one (a later one would win): refused"
  expect_no_file "$E2E_DIR/canary/verified-$kind"
  done_with

  e2e_log "$kind: the same spec without the appended key runs under verified (positive control)"
  create "control-$kind" "$VERIFIED_RUNTIME" "$kind"
  expect_ok start   # ctr returns the task's exit status: 0 = the process ran to its end
  # (its output is not checked: ctr can lose the output of a task that exits this fast)
  tail -1 "$E2E_DIR/decisions.log" | grep -q "\"container\":\"$ID\".*\"verdict\":\"allow\"" \
    && pass "decision log: $ID allowed" || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"
  expect_no_file "$E2E_DIR/canary/control-$kind"
  done_with
done

e2e_log "an exact duplicate is refused"
create "verified-exact" "$VERIFIED_RUNTIME" Process process "$(smuggled Process verified-exact)"
expect_fail start
expect_contains "$LAST_OUT" "the top-level object has key \"process\" twice (runc's decoder lets the later one win): refused"
expect_no_file "$E2E_DIR/canary/verified-exact"
done_with

e2e_log "\"mounts\" spelled with U+017F LATIN SMALL LETTER LONG S: runc takes it, verified refuses"
create "plain-longs" "$RUNC" Mounts 'mount\u017f' "$(smuggled Mounts plain-longs)"
expect_ok start
expect_file "$E2E_DIR/canary/plain-longs"
done_with
create "verified-longs" "$VERIFIED_RUNTIME" Mounts 'mount\u017f' "$(smuggled Mounts verified-longs)"
expect_fail start
expect_contains "$LAST_OUT" "has keys \"mounts\" and \"mount\\u017F\""
expect_no_file "$E2E_DIR/canary/verified-longs"
done_with

e2e_log "\"Mounts\" alone, no \"mounts\": no duplicate, but runc takes it for \"mounts\""
EDIT='.Mounts = .mounts + [$b] | del(.mounts)'
create "plain-alone" "$RUNC" Mounts
expect_ok start
expect_file "$E2E_DIR/canary/plain-alone"
done_with
create "verified-alone" "$VERIFIED_RUNTIME" Mounts
expect_fail start
expect_contains "$LAST_OUT" "the top-level object has key \"Mounts\", which runc's decoder takes for the OCI field \"mounts\""
expect_no_file "$E2E_DIR/canary/verified-alone"
done_with
unset EDIT
