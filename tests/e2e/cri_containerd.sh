#!/bin/bash
# Kubernetes' path, end to end without a kubelet: a CRI client (tests/e2e/cri/cri_client.py,
# runtime.v1 over gRPC, what the kubelet sends) drives a private containerd whose config is
# Debian's stock /etc/containerd/config.toml with the `verified` handler written by
# `verifiedctl install containerd`.
#  - the stock file names no runtime: install must keep the CRI plugin's default runtime, or
#    the plugin does not load and every pod on the node fails (checked: the plugin answers);
#  - a pod with runtime_handler "verified" and a registered image runs, its container writes
#    to a host path; the sandbox (pause) image needs its own `--require pod_sandbox` rule;
#  - an unregistered image, an image whose name the request lies about (by ID with lying
#    annotations; another image under an allowed name) and the tamper rebuild are refused at
#    StartContainer with verified's message in the CRI error, the canary never written;
#  - a pod without the handler runs under plain runc (the documented limit);
#  - `verifiedctl audit` lists the CRI containers with their pods' names;
#  - uninstall gives back the original config byte for byte.
# Pods use host networking (no CNI), so they share the host's UTS namespace: no hostname.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
source "$(dirname "$0")/cri_lib.sh"
e2e_init
cri_init

e2e_log "Debian's stock config.toml, with private paths and this sandbox's CRI settings"
cri_stock_config
cp "$CONF" "$E2E_DIR/original.toml"

e2e_log "verifiedctl install containerd into it"
expect_ok vctl install containerd --config "$CONF" --runtime-path "$VERIFIED_RUNTIME"
expect_contains "$LAST_OUT" "added CRI runtime \"verified\""
expect_contains "$LAST_OUT" "also wrote containerd's built-in default runtime \"runc\""
head -c "$(stat -c %s "$E2E_DIR/original.toml")" "$CONF" | cmp -s - "$E2E_DIR/original.toml" \
  && pass "the original config is untouched above the block" || fail "original lines changed"
grep -q '^\[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc\]$' "$CONF" \
  && pass "the built-in default runtime runc is written out" \
  || fail "no runc table: the CRI plugin will not load: $(tail -12 "$CONF")"

e2e_log "a private containerd on the installed config: its CRI plugin must load"
cri_start_containerd
if cri_plugin_ok; then
  pass "ctr plugins ls: io.containerd.grpc.v1 cri ok"
else
  e2e_abort "the CRI plugin did not load on the installed config (every pod on such a node" \
            "fails): $(grep -m1 'failed to load plugin io.containerd.grpc.v1.cri' "$D/containerd.log")"
fi
expect_ok cri version
version_re='^containerd [^ ]+ v1$'
[[ $LAST_OUT =~ $version_re ]] && pass "CRI Version: $LAST_OUT" \
  || fail "CRI Version answer: $LAST_OUT"
line=$(grep -m1 'Start cri plugin with config' "$D/containerd.log")
expect_contains "$line" "runc:{Type:io.containerd.runc.v2" "CRI plugin config"
expect_contains "$line" "verified:{Type:io.containerd.runc.v2" "CRI plugin config"
expect_contains "$line" "BinaryName:$VERIFIED_RUNTIME" "CRI plugin config"

e2e_log "images, offline: the sandbox image from a static pause program, app:1, other:1"
cri_pause_image
cri_image app
cri_image other
# Seed 000's tamper: app:1 rebuilt with a layer on top (same base layers, same tag).
T="$E2E_DIR/oci-tamper"
{ cp -a "$E2E_DIR/oci-app" "$T" \
    && umoci unpack --rootless --image "$T:1" "$E2E_DIR/tamper-b" > /dev/null \
    && echo tampered >> "$E2E_DIR/tamper-b/rootfs/etc/image-tag" \
    && umoci repack --image "$T:1" "$E2E_DIR/tamper-b" \
    && oci_archive "$T" "$E2E_DIR/tamper.tar"; } || e2e_abort "tampered image"
e2e_wait_for 10 cri image-id docker.io/library/other:1 || fail "CRI does not see other:1"
OTHER_ID=$(cri image-id docker.io/library/other:1)
APP_ID=$(cri image-id docker.io/library/app:1)

export CONTAINERD_ADDRESS="$D/c.sock"
expect_ok vctl register docker.io/library/app:1 --engine containerd --namespace k8s.io
expect_ok vctl register localhost/verified-e2e/pause:1 --engine containerd --namespace k8s.io
expect_ok vctl policy allow docker.io/library/app --require registered

e2e_log "the pod sandbox gets no bypass: its image needs a rule"
expect_fail run_pod refused-sandbox --handler verified
expect_contains "$LAST_OUT" "RunPodSandbox: rpc error: code = UNKNOWN desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: verified: refused image localhost/verified-e2e/pause:1"
expect_ok vctl policy allow localhost/verified-e2e/pause --require registered --require pod_sandbox

e2e_log "runtime_handler verified, registered image: runs and writes to the host"
expect_ok run_pod enforced --handler verified
ENFORCED=$LAST_OUT
expect_ok cri pods
expect_contains "$LAST_OUT" "$ENFORCED enforced verified" "ListPodSandbox"
grep -q "\"container\":\"$ENFORCED\".*\"image\":\"localhost/verified-e2e/pause:1\".*\"verdict\":\"allow\"" \
  "$E2E_DIR/decisions.log" && pass "decision log: the sandbox allowed by verified" \
  || fail "no allow for the sandbox: $(tail -2 "$E2E_DIR/decisions.log")"
expect_ok run_ctr "$ENFORCED" enforced app docker.io/library/app:1
e2e_wait_for 10 test -e "$CANARY/app" && pass "the registered container wrote $CANARY/app" \
  || fail "no $CANARY/app: $(cat "$E2E_DIR/pods/enforced/app.log" 2>&1)"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"engine":"containerd".*"image":"docker.io/library/app:1".*"verdict":"allow"' \
  && pass "decision log: app:1 allowed" || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"

e2e_log "a pod without the handler runs under plain runc: the documented limit"
expect_ok run_pod plain
PLAIN=$LAST_OUT
expect_ok run_ctr "$PLAIN" plain other docker.io/library/other:1
e2e_wait_for 10 test -e "$CANARY/other" && pass "runc ran other:1 (no RuntimeClass, no check)" \
  || fail "the plain pod's container did not run"

e2e_log "verifiedctl audit lists the CRI containers by pod"
expect_fail vctl audit --engine containerd --containerd-state "$D/state"
[[ $LAST_RC -eq 1 ]] && pass "audit exit 1: a container does not comply" || fail "audit rc $LAST_RC"
audit=$LAST_OUT
row() { grep -F " $1 " <<< "$audit"; }
expect_contains "$(row e2e/enforced/app)" "allow" "audit row e2e/enforced/app"
# The table shortens long columns with '~' (a CI checkout's path is long); the
# runtime each container records is checked whole in the JSON form.
audit_json=$(vctl audit --engine containerd --containerd-state "$D/state" --format json) || true
app_runtime=$(/usr/bin/python3 -c 'import json,sys
rows=[r for r in json.load(sys.stdin)["containers"] if r["name"]=="e2e/enforced/app"]
print(rows[0]["runtime"] if rows else "")' <<< "$audit_json") || fail "audit --format json: $audit_json"
expect_contains "$app_runtime" "$VERIFIED_RUNTIME" "audit JSON runtime of e2e/enforced/app"
expect_contains "$(row e2e/enforced/POD)" "allow" "audit row e2e/enforced/POD"
expect_contains "$(row e2e/plain/other)" "DENY" "audit row e2e/plain/other"
expect_contains "$(row e2e/plain/other)" "no rule allows it" "audit row e2e/plain/other"

e2e_log "refused at StartContainer, with verified's message in the CRI error"
refused() {  # refused NAME: the last run_ctr failed at StartContainer and NAME never ran
  expect_contains "$LAST_OUT" "StartContainer: rpc error: code = UNKNOWN desc = failed to create containerd task: failed to create shim task: OCI runtime create failed: verified: refused image"
  expect_no_file "$CANARY/$1"
}
expect_fail run_ctr "$ENFORCED" enforced unregistered docker.io/library/other:1
refused unregistered
expect_contains "$LAST_OUT" "verified: refused image docker.io/library/other:1 ($OTHER_ID): no rule allows it and the policy default is deny"

e2e_log "the request lies about the image: by ID, annotations naming app:1"
expect_fail run_ctr "$ENFORCED" enforced lie-by-id "$OTHER_ID" \
  --image-annotation io.kubernetes.cri.image-name=docker.io/library/app:1 \
  --annotation io.kubernetes.cri.image-name=docker.io/library/app:1
refused lie-by-id
expect_contains "$LAST_OUT" "refused image docker.io/library/other:1 ($OTHER_ID)"
expect_not_contains "$LAST_OUT" "refused image docker.io/library/app:1"

e2e_log "the request lies about the image: other:1 tagged under the allowed name"
expect_ok "${C[@]}" images tag docker.io/library/other:1 docker.io/library/app:2
e2e_wait_for 10 cri image-id docker.io/library/app:2 || fail "CRI does not see app:2"
expect_fail run_ctr "$ENFORCED" enforced lie-by-tag docker.io/library/app:2
refused lie-by-tag
expect_contains "$LAST_OUT" "refused image docker.io/library/app:2 ($OTHER_ID)"
expect_contains "$LAST_OUT" "requires registered: app:2 is not registered"

e2e_log "the tamper rebuild: app:1 re-imported with other content"
expect_ok "${C[@]}" images import --base-name docker.io/library/app "$E2E_DIR/tamper.tar"
# The CRI plugin follows containerd's image events: wait until it resolves the new app:1.
app_moved() { [[ $(cri image-id docker.io/library/app:1) != "$APP_ID" ]]; }
e2e_wait_for 10 app_moved || fail "CRI still resolves app:1 to $APP_ID"
expect_fail run_ctr "$ENFORCED" enforced tampered docker.io/library/app:1
refused tampered
expect_contains "$LAST_OUT" "verified: refused image docker.io/library/app:1"
expect_contains "$LAST_OUT" "requires registered: layer chain differs from the registration: app:1 was registered with 2 layers"
expect_contains "$LAST_OUT" "but the image has 3 layers"

e2e_log "pods removed; uninstall gives back the original config"
expect_ok cri remove-pods
expect_ok vctl uninstall containerd
cmp -s "$CONF" "$E2E_DIR/original.toml" && pass "config.toml is byte for byte the original" \
  || fail "uninstall left a different file: $(diff "$E2E_DIR/original.toml" "$CONF" | head)"
