#!/bin/bash
# The node installer the DaemonSet runs (install/kubernetes/node-installer.sh), against a
# private containerd on Debian's stock config.toml, its host paths pointed at a temp dir and
# its host commands (systemctl restart containerd, kubectl label node) replaced by the test's:
#  - `run` copies the binaries (keeping a file that was there aside), installs the ConfigMap's
#    policy, writes the handler, restarts containerd, labels the node, then waits;
#  - containerd comes back with the handler: a CRI pod with runtime_handler verified is
#    enforced (registered image runs, an unregistered one is refused, canary never written);
#  - SIGTERM (the pod deleted) undoes exactly that: config.toml byte for byte, no backup
#    files left, binaries and policy as they were, the label removed, containerd restarted
#    without the handler.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
source "$(dirname "$0")/cri_lib.sh"
e2e_init
cri_init
: "${VERIFIED_HOOK:?VERIFIED_HOOK must point at the built verified-hook}"
INSTALLER="$CRI_SRC/install/kubernetes/node-installer.sh"

e2e_log "a node: Debian's stock config.toml, containerd running on it, host dirs in a temp dir"
cri_stock_config
cp "$CONF" "$E2E_DIR/original.toml"
HOST_BIN="$E2E_DIR/host/usr/local/bin"
mkdir -p "$HOST_BIN" "$E2E_DIR/image-bin" "$E2E_DIR/configmap"
echo "an older hook the node had" > "$HOST_BIN/verified-hook"
cp -a "$HOST_BIN/verified-hook" "$E2E_DIR/hook-before"
cp "$VERIFIED_RUNTIME" "$VERIFIEDCTL" "$VERIFIED_HOOK" "$E2E_DIR/image-bin/"
cri_start_containerd
cri_plugin_ok || e2e_abort "the CRI plugin did not load on the stock config"
OLD_PID=$(cat "$D/pid")
cri_pause_image
cri_image app
cri_image other
expect_fail run_pod too-early --handler verified
expect_contains "$LAST_OUT" "no runtime for \"verified\" is configured"

e2e_log "the ConfigMap's policy: the sandbox image as a sandbox, app registered"
cat > "$E2E_DIR/configmap/policy.json" << 'JSON'
{
  "version": 1,
  "mode": "enforce",
  "default": "deny",
  "rules": [
    {"match": "localhost/verified-e2e/pause", "action": "allow",
     "require": {"registered": true, "pod_sandbox": true}},
    {"match": "docker.io/library/app", "action": "allow", "require": {"registered": true}}
  ]
}
JSON

e2e_log "the manifests agree with the entry point"
if /usr/bin/python3 -c 'import yaml' 2> /dev/null; then
  expect_ok /usr/bin/python3 - "$CRI_SRC/install/kubernetes" "$INSTALLER" << 'PY'
import re, sys, yaml
kdir, script = sys.argv[1], open(sys.argv[2]).read()
docs = {d["kind"]: d for d in yaml.safe_load_all(open(kdir + "/daemonset.yaml"))}
rc = yaml.safe_load(open(kdir + "/runtimeclass.yaml"))
pod = docs["DaemonSet"]["spec"]["template"]["spec"]
ctr = pod["containers"][0]
assert ctr["command"][-1] == "run" and ctr["command"][0].endswith("/node-installer.sh"), ctr
assert ctr["securityContext"]["privileged"] and pod["hostPID"]
assert pod["serviceAccountName"] == docs["ServiceAccount"]["metadata"]["name"]
mounts = {m["name"]: m["mountPath"] for m in ctr["volumeMounts"]}
vols = {v["name"]: v for v in pod["volumes"]}
# Each default host path of the script is mounted at that very path from the host.
for var, path in re.findall(r'\$\{(VERIFIED_\w+):-(/[^}]+)\}', script):
    mounted = [n for n, p in mounts.items() if path == p or path.startswith(p + "/")]
    assert mounted, f"{var} default {path} is not mounted"
    v = vols[mounted[0]]
    assert v.get("configMap") or v["hostPath"]["path"] == mounts[mounted[0]], v
assert any(e["name"] == "NODE_NAME" for e in ctr["env"]) and "NODE_NAME" in script
label = re.search(r'(verified\.runtime/ready)=(true)', script)
assert rc["handler"] == "verified"
assert rc["scheduling"]["nodeSelector"] == {label.group(1): label.group(2)}, rc
print("daemonset.yaml and runtimeclass.yaml match node-installer.sh")
PY
else
  e2e_log "python3-yaml absent: manifests not checked"
fi

e2e_log "an install that fails half way (a binary missing from the image) undoes itself"
mkdir -p "$E2E_DIR/broken-image-bin"
cp "$VERIFIED_RUNTIME" "$VERIFIEDCTL" "$E2E_DIR/broken-image-bin/"
expect_fail env VERIFIED_SRC_DIR="$E2E_DIR/broken-image-bin" VERIFIED_HOST_BIN_DIR="$HOST_BIN" \
  VERIFIED_HOST_CONFIG_DIR="$CFG" VERIFIED_CONTAINERD_CONFIG="$CONF" \
  VERIFIED_POLICY_DIR="$E2E_DIR/configmap" VERIFIED_RESTART_CONTAINERD=false \
  VERIFIED_LABEL_NODE=false VERIFIED_UNLABEL_NODE=false bash "$INSTALLER" install
expect_contains "$LAST_OUT" "broken-image-bin/verified-hook is missing"
expect_contains "$LAST_OUT" "install failed: undoing what it did"
[[ $(ls "$HOST_BIN") == verified-hook ]] && cmp -s "$HOST_BIN/verified-hook" "$E2E_DIR/hook-before" \
  && [[ ! -e "$CFG/node-installer.state" ]] && pass "nothing left of the failed install" \
  || fail "the failed install left: $(ls -la "$HOST_BIN" "$CFG")"

e2e_log "an install whose pod was killed before it could undo: the next run undoes it first"
INST_ENV=(VERIFIED_SRC_DIR="$E2E_DIR/image-bin" VERIFIED_HOST_BIN_DIR="$HOST_BIN"
  VERIFIED_HOST_CONFIG_DIR="$CFG" VERIFIED_CONTAINERD_CONFIG="$CONF"
  VERIFIED_POLICY_DIR="$E2E_DIR/configmap")
expect_ok env "${INST_ENV[@]}" VERIFIED_RESTART_CONTAINERD=true VERIFIED_LABEL_NODE=true \
  bash "$INSTALLER" install
expect_fail env "${INST_ENV[@]}" bash "$INSTALLER" install
expect_contains "$LAST_OUT" "already installed (uninstall first)"

e2e_log "node-installer.sh run (the DaemonSet's container)"
cat > "$E2E_DIR/kubectl-label.sh" << EOF
#!/bin/bash
echo "\$*" >> '$E2E_DIR/labels.log'
EOF
chmod +x "$E2E_DIR/kubectl-label.sh"
env "${INST_ENV[@]}" VERIFIED_RESTART_CONTAINERD="$D/restart.sh" \
  VERIFIED_LABEL_NODE="$E2E_DIR/kubectl-label.sh label node-1 verified.runtime/ready=true" \
  VERIFIED_UNLABEL_NODE="$E2E_DIR/kubectl-label.sh label node-1 verified.runtime/ready-" \
  bash "$INSTALLER" run > "$E2E_DIR/installer.log" 2>&1 &
INSTALLER_PID=$!
# On an early exit the installer is stopped first, so that its undo (which restarts
# containerd) runs before the test's containerd is stopped for good.
e2e_extra_cleanup() {
  if [[ -n ${INSTALLER_PID:-} ]] && kill -0 "$INSTALLER_PID" 2> /dev/null; then
    kill -TERM "$INSTALLER_PID"
    wait "$INSTALLER_PID"
  fi
  cri_cleanup
}
e2e_wait_for 60 grep -q "ready: node labelled" "$E2E_DIR/installer.log" \
  || e2e_abort "the installer did not finish: $(cat "$E2E_DIR/installer.log")"
pass "installer: $(tail -1 "$E2E_DIR/installer.log")"
expect_contains "$(cat "$E2E_DIR/installer.log")" "a previous install was not undone: undoing it first" "installer log"
for b in verified-runtime verifiedctl verified-hook; do
  cmp -s "$HOST_BIN/$b" "$E2E_DIR/image-bin/$b" && pass "$b installed" || fail "$b not installed"
done
cmp -s "$CFG/policy.json" "$E2E_DIR/configmap/policy.json" && pass "the ConfigMap's policy" \
  || fail "policy not installed"
expect_contains "$(cat "$CONF")" "BinaryName = \"$HOST_BIN/verified-runtime\"" "config.toml"
expect_contains "$(cat "$CONF")" "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]" "config.toml"
expect_contains "$(cat "$E2E_DIR/labels.log")" "label node-1 verified.runtime/ready=true" "kubectl"
[[ $(cat "$D/pid") != "$OLD_PID" ]] && pass "containerd was restarted" || fail "no restart"
cri_plugin_ok && pass "the CRI plugin loads on the config the installer wrote" \
  || e2e_abort "the CRI plugin did not load after the install"

e2e_log "a CRI pod with runtime_handler verified is enforced"
export CONTAINERD_ADDRESS="$D/c.sock"
V=("$HOST_BIN/verifiedctl" --config-dir "$CFG")
expect_ok "${V[@]}" register localhost/verified-e2e/pause:1 --engine containerd --namespace k8s.io
expect_ok "${V[@]}" register docker.io/library/app:1 --engine containerd --namespace k8s.io
expect_ok run_pod enforced --handler verified
POD=$LAST_OUT
expect_ok run_ctr "$POD" enforced app docker.io/library/app:1
e2e_wait_for 10 test -e "$CANARY/app" && pass "the registered container ran" \
  || fail "no $CANARY/app"
expect_fail run_ctr "$POD" enforced other docker.io/library/other:1
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image docker.io/library/other:1"
expect_no_file "$CANARY/other"
expect_ok cri remove-pods

e2e_log "the DaemonSet pod deleted (SIGTERM): everything undone"
kill -TERM "$INSTALLER_PID"
wait "$INSTALLER_PID"
rc=$?
INSTALLER_PID=
[[ $rc -eq 0 ]] && pass "installer exited 0" || fail "installer exit status $rc"
expect_contains "$(cat "$E2E_DIR/installer.log")" "uninstalled" "installer log"
cmp -s "$CONF" "$E2E_DIR/original.toml" && pass "config.toml is byte for byte the original" \
  || fail "config.toml differs: $(diff "$E2E_DIR/original.toml" "$CONF" | head)"
if compgen -G "$CONF.verified-backup-*" > /dev/null; then
  fail "backups left next to config.toml: $(ls "$D")"
else
  pass "no backup left next to config.toml"
fi
cmp -s "$HOST_BIN/verified-hook" "$E2E_DIR/hook-before" && pass "the older hook is back" \
  || fail "verified-hook not restored"
[[ ! -e "$HOST_BIN/verified-runtime" && ! -e "$HOST_BIN/verifiedctl" ]] \
  && pass "the binaries the node did not have are gone" || fail "binaries left: $(ls "$HOST_BIN")"
[[ ! -e "$CFG/policy.json" && ! -e "$CFG/node-installer.state" ]] \
  && pass "policy and installer state removed" || fail "left in $CFG: $(ls "$CFG")"
expect_contains "$(tail -1 "$E2E_DIR/labels.log")" "label node-1 verified.runtime/ready-" "kubectl"
cri_plugin_ok && pass "containerd restarted on the original config, CRI plugin ok" \
  || fail "the CRI plugin did not load after the uninstall"
expect_fail run_pod after --handler verified
expect_contains "$LAST_OUT" "no runtime for \"verified\" is configured"
