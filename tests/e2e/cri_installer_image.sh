#!/bin/bash
# The node installer image `verified-installer` (install/kubernetes/Dockerfile, built by
# scripts/build-installer-image.sh) run as daemonset.yaml runs it, against a private containerd:
#  - the image is built FROM scratch by a private dockerd with no network; it holds exactly the
#    binaries of this build (sha256), node-installer.sh as the entry point, and no shell but the
#    bash that entry point needs;
#  - the container runs privileged with the host's PID namespace, no network, the DaemonSet's
#    mounts (read from daemonset.yaml) bound to a temp "node": it copies the binaries (the same
#    sha256 on the node), installs the ConfigMap's policy (kubelet's ..data symlink layout),
#    writes the handler, asks the node's systemd to restart containerd through nsenter into the
#    node's namespaces (the production path; only `systemctl` on the node is the test's), and
#    labels the node with the image's kubectl and the pod's service account (in-cluster config,
#    as the DaemonSet runs it) through an HTTPS stand-in for the API server (cri/node_api.py);
#  - programs planted in the node's /usr/local/bin (mounted in the pod) under the names of the
#    installer's tools never run (canaries): the image's PATH leaves that dir out;
#  - the restarted containerd enforces: a CRI pod with runtime_handler verified runs a
#    registered image and refuses an unregistered one, whose canary is never written;
#  - `docker stop` (SIGTERM, as the pod's deletion) undoes everything: config.toml byte for
#    byte, binaries and policy as they were, the label removed, containerd restarted.
# The node: a mount namespace in which the temp host bin dir is /usr/local/bin (the handler's
# BinaryName is the path the DaemonSet mounts it at), with a process standing in for the node's
# systemd (it restarts containerd when the node's `systemctl` asks it through a FIFO).
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
source "$(dirname "$0")/cri_lib.sh"
e2e_init
cri_init
: "${VERIFIED_HOOK:?VERIFIED_HOOK must point at the built verified-hook}"
e2e_need unshare nsenter readelf mkfifo dockerd openssl
[[ -x /bin/bash-static ]] || e2e_skip "no /bin/bash-static (apt-get install bash-static)"
command -v kubectl > /dev/null || e2e_skip "no kubectl (apt-get install kubernetes-client)"
/usr/bin/python3 -c 'import yaml' 2> /dev/null || e2e_skip "no python3-yaml (apt-get install it)"
declare -A BUILT=([verified-runtime]=$VERIFIED_RUNTIME [verifiedctl]=$VERIFIEDCTL
  [verified-hook]=$VERIFIED_HOOK)
BUILD_SCRIPT="$CRI_SRC/scripts/build-installer-image.sh"
DS_YAML="$CRI_SRC/install/kubernetes/daemonset.yaml"
[[ -f "$CRI_SRC/install/kubernetes/Dockerfile" && -x $BUILD_SCRIPT ]] \
  || e2e_abort "no install/kubernetes/Dockerfile or scripts/build-installer-image.sh in $CRI_SRC"

e2e_log "a node: Debian's stock config.toml, an older verified-hook in /usr/local/bin"
HOST="$E2E_DIR/host"
HOST_BIN="$HOST/usr/local/bin"
HOST_CTD="$HOST/etc/containerd"
CONFIGMAP="$E2E_DIR/configmap"
NODE="$E2E_DIR/node"
mkdir -p "$HOST_BIN" "$HOST_CTD" "$CONFIGMAP" "$NODE/bin" "$NODE/run"
CONF="$HOST_CTD/config.toml"
cri_stock_config
cp "$CONF" "$E2E_DIR/original.toml"
echo "an older hook the node had" > "$HOST_BIN/verified-hook"
cp -a "$HOST_BIN/verified-hook" "$E2E_DIR/hook-before"
# The node's /usr/local/bin is mounted into the pod: programs there named as the installer's
# tools must never run in its place (the image's PATH leaves that dir out). Each is a static
# program that leaves a canary in the config dir (mounted in the pod at /etc/verified).
PLANTED=(cp chmod mv ls grep rm rmdir mkdir sleep dirname nsenter kubectl)
cat > "$E2E_DIR/planted.c" << 'C'
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
int main(int argc, char** argv) {
  const char* name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
  char path[256];
  snprintf(path, sizeof path, "/etc/verified/planted-%s", name);
  close(open(path, O_CREAT | O_WRONLY, 0644));
  return argc < 0;
}
C
cc -static -Os -o "$HOST_BIN/.planted" "$E2E_DIR/planted.c" || e2e_abort "cannot build planted"
for t in "${PLANTED[@]}"; do ln -s .planted "$HOST_BIN/$t"; done
cri_write_restart_script "$D/restart.sh"

# The node's systemd: restarts containerd when asked, in the node's mount namespace. (The
# node's /etc/verified is $CFG by VERIFIED_CONFIG_DIR in containerd's environment, as in
# cri_installer.sh: this machine may have no /etc/verified to mount it over.)
cat > "$NODE/init.sh" << EOF
#!/bin/bash
mount --bind '$HOST_BIN' /usr/local/bin || exit 1
# The node's own programs, not what the test planted in its /usr/local/bin.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
exec 3<> '$NODE/run/systemd.fifo'
touch '$NODE/run/ready'
while read -r verb unit id <&3; do
  rc=1
  if [[ \$verb == restart && \$unit == containerd ]]; then
    '$D/restart.sh' >> '$NODE/run/systemd.log' 2>&1 && rc=0
  fi
  echo "\$rc" > '$NODE/run/.rc' && mv '$NODE/run/.rc' "$NODE/run/\$id.rc"
done
EOF
# The node's systemctl (what `systemctl restart containerd` does: ask systemd, wait for it).
cat > "$NODE/bin/systemctl" << EOF
#!/bin/bash
echo "\$* \$(readlink /proc/self/ns/mnt)" >> '$NODE/run/systemctl.log'
id=\$\$-\$RANDOM
echo "\$1 \$2 \$id" > '$NODE/run/systemd.fifo'
for _ in \$(seq 1 600); do
  [[ -e "$NODE/run/\$id.rc" ]] && exit "\$(cat "$NODE/run/\$id.rc")"
  sleep 0.1
done
echo "systemctl: no answer from the node's systemd" >&2
exit 1
EOF
chmod +x "$NODE/init.sh" "$NODE/bin/systemctl"
mkfifo "$NODE/run/systemd.fifo"
unshare --mount --propagation private "$NODE/init.sh" &
NODE_PID=$!
E2E_PIDS+=("$NODE_PID")
e2e_wait_for 10 test -e "$NODE/run/ready" || e2e_abort "the node's init did not start"
NODE_MNT=$(readlink "/proc/$NODE_PID/ns/mnt")
[[ $NODE_MNT != "$(readlink /proc/self/ns/mnt)" ]] || e2e_abort "the node has no mount namespace"
"$NODE/bin/systemctl" restart containerd || e2e_abort "containerd did not start: $(tail -5 "$D/containerd.log")"
cri_plugin_ok || e2e_abort "the CRI plugin did not load on the stock config"
OLD_PID=$(cat "$D/pid")
cri_pause_image
cri_image app
cri_image other

e2e_log "the ConfigMap verified-policy, as the kubelet lays it out (..data symlinks)"
mkdir -p "$CONFIGMAP/..2026_01_01_00_00_00.1"
ln -s ..2026_01_01_00_00_00.1 "$CONFIGMAP/..data"
ln -s ..data/policy.json "$CONFIGMAP/policy.json"
cat > "$CONFIGMAP/..data/policy.json" << 'JSON'
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

e2e_log "the image, built by a private dockerd (no network, FROM scratch)"
echo '{}' > "$E2E_DIR/daemon.json"
e2e_start_docker
IMAGE=$(VERIFIED_RUNTIME="$VERIFIED_RUNTIME" VERIFIEDCTL="$VERIFIEDCTL" VERIFIED_HOOK="$VERIFIED_HOOK" \
  "$BUILD_SCRIPT" --save "$E2E_DIR/installer.tar" 2> "$E2E_DIR/build.log") \
  || e2e_abort "build failed: $(tail -20 "$E2E_DIR/build.log")"
pass "built $IMAGE"
expect_contains "$(cat "$E2E_DIR/build.log")" "FROM scratch" "docker build"
VERSION=$("$VERIFIEDCTL" --version | awk '{print $2}')
[[ $IMAGE == "verified-installer:$VERSION" ]] && pass "tagged verified-installer:$VERSION" \
  || fail "image tag $IMAGE, not verified-installer:$VERSION"
# The tarball loads where a node's kubelet finds images: containerd's k8s.io namespace.
expect_ok "${C[@]}" images import "$E2E_DIR/installer.tar"
expect_contains "$("${C[@]}" images ls -q)" "docker.io/library/$IMAGE" "ctr -n k8s.io images ls"
rm -f "$E2E_DIR/installer.tar"

e2e_log "what daemonset.yaml runs"
mapfile -t DS < <(/usr/bin/python3 - "$DS_YAML" << 'PY'
import sys, yaml
docs = {d["kind"]: d for d in yaml.safe_load_all(open(sys.argv[1]))}
pod = docs["DaemonSet"]["spec"]["template"]["spec"]
c = pod["containers"][0]
vols = {v["name"]: v for v in pod["volumes"]}
print("image", c["image"])
print("pull", c.get("imagePullPolicy", "-"))
print("hostpid", pod.get("hostPID", False), "privileged", c["securityContext"]["privileged"])
for m in c["volumeMounts"]:
    v = vols[m["name"]]
    src = "configmap:" + v["configMap"]["name"] if "configMap" in v else v["hostPath"]["path"]
    print("mount", m["name"], m["mountPath"], src, "ro" if m.get("readOnly") else "rw")
print("command", *c["command"])
PY
)
((${#DS[@]} > 4)) || e2e_abort "cannot read $DS_YAML"
printf '  %s\n' "${DS[@]}"
expect_contains "${DS[0]}" "image $IMAGE" "daemonset.yaml"
# A tag that is not :latest is pulled only when absent (a kind-loaded image is never pulled).
expect_contains "${DS[1]}" "pull IfNotPresent" "daemonset.yaml"
expect_contains "${DS[2]}" "hostpid True privileged True" "daemonset.yaml"
# privileged: true. Docker's --privileged asks for every capability, and runc fails ("unable to
# apply caps") where the test's own bounding set lacks some (this sandbox has no
# CAP_SYS_RESOURCE): then everything --privileged gives but those capabilities.
CAPS=(chown dac_override dac_read_search fowner fsetid kill setgid setuid setpcap linux_immutable
  net_bind_service net_broadcast net_admin net_raw ipc_lock ipc_owner sys_module sys_rawio
  sys_chroot sys_ptrace sys_pacct sys_admin sys_boot sys_nice sys_resource sys_time
  sys_tty_config mknod lease audit_write audit_control setfcap mac_override mac_admin syslog
  wake_alarm block_suspend audit_read perfmon bpf checkpoint_restore)
BND=$((16#$(awk '/^CapBnd/ {print $2}' /proc/self/status)))
MISSING=()
for i in "${!CAPS[@]}"; do (((BND >> i) & 1)) || MISSING+=(--cap-drop "${CAPS[$i]^^}"); done
PRIV=(--privileged)
if ((${#MISSING[@]})); then
  PRIV=(--cap-add ALL --security-opt seccomp=unconfined --security-opt apparmor=unconfined
    --security-opt systempaths=unconfined "${MISSING[@]}")
  e2e_log "privileged, less what this sandbox's bounding set lacks: ${PRIV[*]}"
fi
RUN_ARGS=("${PRIV[@]}" --pid=host --network=none -e NODE_NAME=node-1)
CMD=()
for line in "${DS[@]:3}"; do
  read -r kind name path src mode <<< "$line"
  case "$kind:$name" in
    mount:containerd-config) dir=$HOST_CTD ;;
    mount:host-bin) dir=$HOST_BIN ;;
    mount:verified-config) dir=$CFG ;;
    mount:policy) dir=$CONFIGMAP ;;
    command:*) read -r -a CMD <<< "${line#command }"; continue ;;
    *) e2e_abort "daemonset.yaml mounts $name, which this test does not know: update it" ;;
  esac
  # A hostPath is mounted where the node has it: the temp dir stands in for the node's path.
  [[ $src == "$path" || ($src == configmap:verified-policy && $mode == ro) ]] \
    || fail "$name: $src mounted at $path ($mode)"
  RUN_ARGS+=(-v "$dir:$path$([[ $mode == ro ]] && echo :ro)")
done
((${#CMD[@]})) || e2e_abort "no command in daemonset.yaml"

e2e_log "what the image holds"
d create --name probe "$IMAGE" > /dev/null || e2e_abort "docker create"
# Each file of the image with its sha256, streamed (the image is several hundred MB).
cat > "$E2E_DIR/list.py" << 'PY'
import hashlib, sys, tarfile
tar = tarfile.open(fileobj=sys.stdin.buffer, mode="r|")
for m in tar:
    if m.isfile():
        h, f = hashlib.sha256(), tar.extractfile(m)
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
        print(m.name, "file", h.hexdigest(), oct(m.mode & 0o7777), m.uid)
    elif m.issym():
        print(m.name, "link", m.linkname)
    else:
        print(m.name.rstrip("/"), "dir" if m.isdir() else "other")
PY
d export probe | /usr/bin/python3 "$E2E_DIR/list.py" > "$E2E_DIR/image-files" \
  || e2e_abort "docker export"
d rm probe > /dev/null
# What dockerd adds to every container (mount points, .dockerenv) is not the image's.
grep -Ev '^(\.dockerenv|dev|dev/.*|etc|etc/(hostname|hosts|mtab|resolv\.conf)|proc|sys) ' \
  "$E2E_DIR/image-files" > "$E2E_DIR/image-own"
declare -A SUM
for b in verified-runtime verifiedctl verified-hook; do
  SUM[$b]=$(sha256sum < "${BUILT[$b]}" | cut -d' ' -f1)
  expect_contains "$(grep "^opt/verified/bin/$b " "$E2E_DIR/image-own")" \
    "opt/verified/bin/$b file ${SUM[$b]} 0o755 0" "the image's $b"
done
sums=$(for b in verified-runtime verifiedctl verified-hook; do echo "${SUM[$b]}  $b"; done)
expect_contains "$(grep "^opt/verified/SHA256SUMS " "$E2E_DIR/image-own")" \
  "file $(sha256sum <<< "$sums" | cut -d' ' -f1)" "the image's SHA256SUMS (the build's sums)"
expect_contains "$(grep '^opt/verified/bin/node-installer.sh ' "$E2E_DIR/image-own")" \
  "file $(sha256sum < "$CRI_SRC/install/kubernetes/node-installer.sh" | cut -d' ' -f1)" "entry point"
# Every regular file the image holds, outside the loader's dirs: nothing else.
got=$(awk '$2 == "file" && $1 !~ /^lib(64)?\// {print $1}' "$E2E_DIR/image-own" | sort | tr '\n' ' ')
want="bin/bash bin/busybox opt/verified/SHA256SUMS opt/verified/bin/node-installer.sh"
want+=" opt/verified/bin/verified-hook opt/verified/bin/verified-runtime"
want+=" opt/verified/bin/verifiedctl usr/bin/kubectl "
[[ $got == "$want" ]] && pass "the image's files: $got" || fail "the image's files: $got, not $want"
expect_contains "$(grep '^bin/bash ' "$E2E_DIR/image-own")" \
  "$(sha256sum < /bin/bash-static | cut -d' ' -f1)" "/bin/bash (Debian's bash-static)"
# The loader's dirs hold what verifiedctl links and nothing else.
needs=$(ldd "$VERIFIEDCTL" 2> /dev/null | awk '$2 == "=>" {print $1} $1 ~ /^\// {print $1}' \
  | xargs -rn1 basename | sort -u | tr '\n' ' ')
libs=$(awk '$2 == "file" && $1 ~ /^lib(64)?\// {print $1}' "$E2E_DIR/image-own" \
  | xargs -rn1 basename | sort -u | tr '\n' ' ')
[[ $libs == "$needs" ]] && pass "lib/, lib64/: what verifiedctl links (${libs:-nothing})" \
  || fail "lib/, lib64/ hold '$libs', verifiedctl links '$needs'"
shells=$(awk '{n = $1; sub(".*/", "", n)} n ~ /^(sh|ash|hush|dash|bash|ksh|mksh|zsh|csh|tcsh)$/ {print $1}' \
  "$E2E_DIR/image-own" | tr '\n' ' ')
[[ $shells == "bin/bash " ]] && pass "no shell in the image but /bin/bash" || fail "shells: $shells"
expect_contains "$(head -1 "$CRI_SRC/install/kubernetes/node-installer.sh")" "#!/bin/bash" "entry point"
for sh in sh /bin/sh ash /bin/ash /usr/bin/sh; do
  out=$(d run --rm --network=none --entrypoint "$sh" "$IMAGE" -c "echo a shell ran" 2>&1)
  if [[ $? -eq 127 && $out =~ "executable file not found in \$PATH"|"no such file or directory" ]]; then
    pass "no $sh in the image"
  else
    fail "--entrypoint $sh: $out"
  fi
done
expect_ok d run --rm --network=none --entrypoint kubectl "$IMAGE" version --client
expect_contains "$(d image inspect -f '{{.Config.Env}}' "$IMAGE")" "PATH=/opt/verified/bin:/bin:/usr/bin" "image"

e2e_log "the API server: HTTPS on the pod's loopback, the service account's token and CA"
SA="$E2E_DIR/serviceaccount"
mkdir -p "$SA"
( cd "$SA" && openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 1 \
    -subj /CN=verified-e2e-ca && openssl req -newkey rsa:2048 -nodes -keyout api.key \
    -out api.csr -subj /CN=kube-apiserver && printf 'subjectAltName=IP:127.0.0.1\n' > ext \
  && openssl x509 -req -in api.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out api.crt \
    -days 1 -extfile ext ) > "$E2E_DIR/openssl.log" 2>&1 \
  || e2e_abort "openssl: $(cat "$E2E_DIR/openssl.log")"
head -c 24 /dev/urandom | base64 > "$SA/token"
echo kube-system > "$SA/namespace"
# The pod's network namespace, with nothing in it but loopback (--network=none), held by a
# container of its own so that the API server listens in it before the installer starts.
d run -d --name podnet --network=none --entrypoint /bin/sleep "$IMAGE" 100000 > /dev/null \
  || e2e_abort "docker run podnet"
NET_PID=$(d inspect -f '{{.State.Pid}}' podnet)
nsenter -t "$NET_PID" -n /usr/bin/python3 "$CRI_HERE/cri/node_api.py" --cert "$SA/api.crt" \
  --key "$SA/api.key" --token "$SA/token" --port 6443 --node node-1 --log "$E2E_DIR/api.log" &
E2E_PIDS+=($!)
e2e_wait_for 10 nsenter -t "$NET_PID" -n /usr/bin/python3 -c \
  'import socket; socket.create_connection(("127.0.0.1", 6443))' || e2e_abort "no API server"
node_labels() {  # the Node's labels, as the API server holds them
  nsenter -t "$NET_PID" -n /usr/bin/python3 -c 'import ssl, urllib.request
print(urllib.request.urlopen("https://127.0.0.1:6443/__node",
      context=ssl._create_unverified_context()).read().decode())'
}

e2e_log "the DaemonSet's container: ${CMD[*]}"
# The restart runs on the node through nsenter into its namespaces (hostPID), as in production;
# only the target PID (the node's init here, 1 on a node) and the systemctl run there differ.
# The label is the production path: kubectl with the service account the kubelet mounts.
ON_NODE="nsenter -t $NODE_PID -m -u -i -n -p --"
RUN_ARGS=("${RUN_ARGS[@]/#--network=none/--network=container:podnet}")
d run -d --name installer "${RUN_ARGS[@]}" \
  -e "VERIFIED_RESTART_CONTAINERD=$ON_NODE $NODE/bin/systemctl restart containerd" \
  -e KUBERNETES_SERVICE_HOST=127.0.0.1 -e KUBERNETES_SERVICE_PORT=6443 \
  -v "$SA/ca.crt:/var/run/secrets/kubernetes.io/serviceaccount/ca.crt:ro" \
  -v "$SA/token:/var/run/secrets/kubernetes.io/serviceaccount/token:ro" \
  -v "$SA/namespace:/var/run/secrets/kubernetes.io/serviceaccount/namespace:ro" \
  --entrypoint "${CMD[0]}" "$IMAGE" "${CMD[@]:1}" > /dev/null || e2e_abort "docker run failed"
installer_done() {  # ready, or the container exited
  d logs installer 2>&1 | grep -q 'ready: node labelled' \
    || [[ $(d inspect -f '{{.State.Running}}' installer) != true ]]
}
e2e_wait_for 120 installer_done
expect_nothing_planted() {
  if compgen -G "$CFG/planted-*" > /dev/null; then
    fail "the installer ran the node's /usr/local/bin: $(ls "$CFG"/planted-*)"
  else
    pass "nothing from the node's /usr/local/bin ran in the pod (no $CFG/planted-*)"
  fi
}
expect_nothing_planted
d logs installer 2>&1 | grep -q 'ready: node labelled' \
  || e2e_abort "the installer did not finish: $(d logs installer 2>&1 | tail -20)"
pass "installer: $(d logs installer 2>&1 | tail -1)"
for b in verified-runtime verifiedctl verified-hook; do
  [[ $(sha256sum < "$HOST_BIN/$b" | cut -d' ' -f1) == "${SUM[$b]}" ]] \
    && pass "the node's /usr/local/bin/$b has the build's sha256" || fail "$b differs from the build's"
done
cmp -s "$CFG/policy.json" "$CONFIGMAP/..data/policy.json" && pass "the ConfigMap's policy installed" \
  || fail "policy not installed"
expect_contains "$(cat "$CONF")" 'BinaryName = "/usr/local/bin/verified-runtime"' "config.toml"
expect_contains "$(cat "$CONF")" "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]" "config.toml"
[[ $(cat "$D/pid") != "$OLD_PID" ]] && pass "containerd was restarted" || fail "no restart"
CTR_MNT=$(readlink "/proc/$(d inspect -f '{{.State.Pid}}' installer)/ns/mnt")
expect_contains "$(cat "$NODE/run/systemctl.log")" "restart containerd $NODE_MNT" "systemctl on the node"
expect_not_contains "$(cat "$NODE/run/systemctl.log")" "$CTR_MNT" "systemctl on the node"
expect_contains "$(node_labels)" '"verified.runtime/ready": "true"' "the Node's labels"
expect_contains "$(grep PATCH "$E2E_DIR/api.log")" '"auth": true' "kubectl's PATCH"
expect_not_contains "$(cat "$E2E_DIR/api.log")" '"auth": false' "the API server's log"
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

e2e_log "the DaemonSet pod deleted: docker stop (SIGTERM), everything undone"
expect_ok d stop -t 120 installer
rc=$(d inspect -f '{{.State.ExitCode}}' installer)
[[ $rc == 0 ]] && pass "installer exited 0" || fail "installer exit status $rc"
expect_contains "$(d logs installer 2>&1)" "uninstalled" "installer log"
cmp -s "$CONF" "$E2E_DIR/original.toml" && pass "config.toml is byte for byte the original" \
  || fail "config.toml differs: $(diff "$E2E_DIR/original.toml" "$CONF" | head)"
[[ $(ls -A "$HOST_CTD") == config.toml ]] && pass "no backup left next to config.toml" \
  || fail "left next to config.toml: $(ls -A "$HOST_CTD")"
cmp -s "$HOST_BIN/verified-hook" "$E2E_DIR/hook-before" && pass "the older hook is back" \
  || fail "verified-hook not restored"
rm -f "$HOST_BIN/.planted" "${PLANTED[@]/#/$HOST_BIN/}"
[[ $(ls -A "$HOST_BIN") == verified-hook ]] && pass "the binaries the node did not have are gone" \
  || fail "left in the bin dir: $(ls -A "$HOST_BIN")"
expect_nothing_planted
[[ ! -e "$CFG/policy.json" && ! -e "$CFG/node-installer.state" ]] \
  && pass "policy and installer state removed" || fail "left in $CFG: $(ls "$CFG")"
expect_contains "$(grep PATCH "$E2E_DIR/api.log" | tail -1)" 'ready\":null' "kubectl's last PATCH"
expect_not_contains "$(node_labels)" "verified.runtime/ready" "the Node's labels"
[[ $(grep -c '^restart containerd' "$NODE/run/systemctl.log") == 3 ]] \
  && pass "containerd restarted by the install and by the undo" \
  || fail "restarts: $(cat "$NODE/run/systemctl.log")"
cri_plugin_ok && pass "containerd restarted on the original config, CRI plugin ok" \
  || fail "the CRI plugin did not load after the uninstall"
expect_fail run_pod after --handler verified
expect_contains "$LAST_OUT" "no runtime for \"verified\" is configured"
