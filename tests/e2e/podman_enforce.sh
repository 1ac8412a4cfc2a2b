#!/bin/bash
# Podman 4.3 (containers/storage, overlay) with `podman run --runtime verified-runtime`:
# registered images run; unregistered, tampered (same tag rebuilt) and lying-annotation
# containers are refused before their first instruction, with the message Podman shows.
# Podman gets a private --root/--runroot/--tmpdir under the test dir; runc's state goes to a
# private --root too (passed with --runtime-flag, after our own --config-dir).
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
RUN=(pm_verified run --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary")
CANARY='touch /canary/$CANARY_NAME; echo hello-from-container'

e2e_log "build app:1 offline and register it from containers/storage"
pm_build app:1
expect_ok pvctl register app:1
expect_contains "$LAST_OUT" "registered localhost/app:1"
registered_id=$(pm image inspect --format '{{.Id}}' localhost/app:1)
expect_ok vctl policy allow localhost/app --require registered
expect_ok pvctl check app:1
expect_contains "$LAST_OUT" "image config hashed"
# Without --root, verifiedctl finds the store as podman does: here through
# CONTAINERS_STORAGE_CONF's [storage] graphroot.
printf '[storage]\ndriver = "overlay"\ngraphroot = "%s"\nrunroot = "%s"\n' "$PR/root" "$PR/runroot" \
  > "$E2E_DIR/storage.conf"
expect_ok env CONTAINERS_STORAGE_CONF="$E2E_DIR/storage.conf" "$VERIFIEDCTL" --config-dir "$CFG" \
  check --engine podman app:1
expect_contains "$LAST_OUT" "($E2E_DIR/storage.conf)"

e2e_log "a registered image runs"
expect_ok "${RUN[@]}" --rm -e CANARY_NAME=registered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/registered"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"engine":"containers-storage-overlay".*"verdict":"allow"' \
  && pass "decision log: allowed, proven from containers/storage" \
  || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"
# Podman's cleanup (conmon's exit command) calls `delete` with an empty environment; it
# must still reach runc, or runc's state would pile up.
cid=$(tail -1 "$E2E_DIR/decisions.log" | grep -o '"container":"[0-9a-f]*"' | cut -d'"' -f4)
runc_state_gone() { [[ -n "$cid" && ! -e "/run/runc/$cid" ]]; }
e2e_wait_for 20 runc_state_gone && pass "runc state of $cid cleaned up (delete reached runc)" \
  || fail "runc state left behind: /run/runc/$cid"

e2e_log "a container created before the tamper (started later) still runs: its chain is registered"
old=$(pm --runtime "$VERIFIED_RUNTIME" "${VFLAGS[@]}" create --network=none "${ULIMITS[@]}" \
      -v "$E2E_DIR/canary:/canary" -e CANARY_NAME=old app:1 sh -c "$CANARY")

e2e_log "seed 000's tamper: the same tag rebuilt with one extra layer"
echo "tamper test" > "$E2E_DIR/tamper.txt"
ctx=$(mktemp -d "$E2E_DIR/tamper.XXXXXX")
cp "$E2E_DIR/tamper.txt" "$ctx/"
printf 'FROM localhost/app:1\nCOPY tamper.txt /tamper.txt\n' > "$ctx/Containerfile"
pm build -q --network=none -t app:1 -f "$ctx/Containerfile" "$ctx" > /dev/null || fail "tampered build"
expect_fail "${RUN[@]}" --rm -e CANARY_NAME=tampered app:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "Error: OCI runtime error: $VERIFIED_RUNTIME: verified: refused image localhost/app:1"
expect_contains "$LAST_OUT" "requires registered: layer chain differs from the registration"
expect_no_file "$E2E_DIR/canary/tampered"
echo "podman shows: $(grep -m1 'Error:' <<< "$LAST_OUT")"
expect_fail pvctl check app:1
expect_refused_check "REFUSED" "requires registered: layer chain differs from the registration"

expect_ok pm --runtime "$VERIFIED_RUNTIME" "${VFLAGS[@]}" start -a "$old"
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/old"

e2e_log "an unregistered image is refused"
pm_build other:1 'LABEL other=1'
expect_fail "${RUN[@]}" --rm -e CANARY_NAME=unregistered other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "verified: refused image localhost/other:1"
expect_contains "$LAST_OUT" "no rule allows it and the policy default is deny"
expect_no_file "$E2E_DIR/canary/unregistered"

e2e_log "CRI-O image annotations naming a registered, allowed image do not help another one"
# app:1 is the tampered rebuild by now: the annotations name the image registered above, under
# a tag of its own, which runs (so only the annotations' being ignored can refuse other:1).
[[ $registered_id =~ ^[0-9a-f]{64}$ ]] && pass "registered image id $registered_id" \
  || fail "no registered image id: '$registered_id'"
expect_ok pm tag "$registered_id" localhost/app:keep
expect_ok pvctl register app:keep
expect_ok "${RUN[@]}" --rm -e CANARY_NAME=keep app:keep sh -c "$CANARY"
expect_file "$E2E_DIR/canary/keep"
expect_fail "${RUN[@]}" --rm -e CANARY_NAME=lying \
  --annotation io.kubernetes.cri-o.Image=localhost/app:keep \
  --annotation io.kubernetes.cri-o.ImageName=localhost/app:keep \
  --annotation "io.kubernetes.cri-o.ImageRef=$registered_id" \
  other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "verified: refused image localhost/other:1"
expect_contains "$LAST_OUT" "no rule allows it and the policy default is deny"
expect_no_file "$E2E_DIR/canary/lying"

e2e_log "an image config changed on disk after the container was created is refused"
victim=$(pm --runtime "$VERIFIED_RUNTIME" "${VFLAGS[@]}" create --network=none "${ULIMITS[@]}" \
         -v "$E2E_DIR/canary:/canary" -e CANARY_NAME=changed localhost/app:1 sh -c "$CANARY")
image_id=$(pm image inspect --format '{{.Id}}' localhost/app:1)
cfg_file=$(ls -d "$PR/root/overlay-images/$image_id"/=* | while read -r f; do
  [[ "$(basename "$f")" == "=$(printf 'sha256:%s' "$image_id" | base64 -w0)" ]] && echo "$f"; done)
[[ -f "$cfg_file" ]] && pass "found the stored image config" || fail "no stored config for $image_id"
sed -i 's/"os":"linux"/"os":"linux" /' "$cfg_file"
expect_fail pm --runtime "$VERIFIED_RUNTIME" "${VFLAGS[@]}" start -a "$victim"
expect_contains "$LAST_OUT" "verified: refused"
expect_contains "$LAST_OUT" "content hashes to"
expect_no_file "$E2E_DIR/canary/changed"
pm rm -f "$victim" > /dev/null

e2e_log "verifiedctl install podman: the drop-in podman loads (runtime \"verified\")"
DROPIN="$E2E_DIR/containers.conf.d/verified.conf"
expect_ok vctl install podman --containers-conf "$DROPIN" --runtime-path "$VERIFIED_RUNTIME"
export CONTAINERS_CONF="$DROPIN"
expect_ok pm info --format '{{.Host.OCIRuntime.Name}}'
pm_build app:2 'LABEL v=2'
expect_ok pvctl register app:2
expect_ok pm --runtime verified "${VFLAGS[@]}" run --rm --network=none "${ULIMITS[@]}" \
  -v "$E2E_DIR/canary:/canary" -e CANARY_NAME=dropin app:2 sh -c "$CANARY"
expect_file "$E2E_DIR/canary/dropin"
expect_fail pm --runtime verified "${VFLAGS[@]}" run --rm --network=none "${ULIMITS[@]}" other:1 true
expect_contains "$LAST_OUT" "Error: OCI runtime error: verified: verified: refused image localhost/other:1"

e2e_log "with runtime_supports_json podman passes --log; the refusal is its one JSON object"
{ printf '[engine]\nruntime_supports_json = ["crun", "runc", "verified"]\n\n'; cat "$DROPIN"; } \
  > "$E2E_DIR/json.conf"
export CONTAINERS_CONF="$E2E_DIR/json.conf"
expect_fail pm --runtime verified "${VFLAGS[@]}" run --name jsonlog --network=none "${ULIMITS[@]}" \
  -v "$E2E_DIR/canary:/canary" -e CANARY_NAME=json other:1 sh -c "$CANARY"
expect_contains "$LAST_OUT" "Error: OCI runtime error: verified: verified: refused image localhost/other:1"
expect_no_file "$E2E_DIR/canary/json"
ocilog=$(find "$PR/runroot" -name oci-log | head -1)
if [[ -n "$ocilog" ]] && python3 -c 'import json,sys; o=json.load(open(sys.argv[1])); sys.exit(0 if o["level"]=="error" and o["msg"].startswith("verified: refused") else 1)' "$ocilog"; then
  pass "oci-log is one JSON object with our refusal"
else
  fail "oci-log ($ocilog): $(cat "$ocilog" 2>/dev/null)"
fi
pm rm -f jsonlog > /dev/null 2>&1
export CONTAINERS_CONF="$DROPIN"

e2e_log "uninstall podman removes the drop-in; install crio writes and removes its own"
expect_ok vctl uninstall podman
[[ ! -e "$DROPIN" ]] && pass "drop-in removed" || fail "drop-in still there"
grep -q '"podman"' "$CFG/install-state.json" && fail "install-state still lists podman" || pass "install-state clean"
CRIO_DROPIN="$E2E_DIR/crio.conf.d/99-verified.conf"
expect_ok vctl install crio --crio-conf "$CRIO_DROPIN" --runtime-path "$VERIFIED_RUNTIME"
expect_contains "$(cat "$CRIO_DROPIN")" '[crio.runtime.runtimes.verified]'
expect_contains "$(cat "$CRIO_DROPIN")" "runtime_path = \"$VERIFIED_RUNTIME\""
expect_contains "$(cat "$CRIO_DROPIN")" 'runtime_type = "oci"'
expect_ok vctl uninstall crio
[[ ! -e "$CRIO_DROPIN" ]] && pass "crio drop-in removed" || fail "crio drop-in still there"
echo "note: CRI-O itself is not packaged here; its drop-in is checked as text only"
