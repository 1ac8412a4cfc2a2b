# shellcheck shell=bash
# Helpers for the CRI tests (cri_containerd.sh, cri_installer.sh): a private containerd on
# Debian's stock config.toml with its CRI plugin, the CRI client (tests/e2e/cri/), the pause
# image. Source after lib.sh and oci_image.sh, then call cri_init.

# cri_init: checks the prerequisites (a loud skip without the CRI client's Python modules),
# generates the client's stubs and sets D (containerd's dir), CONF, CANARY, C (ctr for k8s.io)
# and the cleanup: pods removed through the CRI, leftover tasks killed, containerd stopped.
cri_init() {
  CRI_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
  CRI_SRC=${VERIFIED_SOURCE_DIR:-$CRI_HERE/../..}
  e2e_need containerd ctr runc umoci cc
  /usr/bin/python3 -c 'import grpc, grpc_tools.protoc' 2> /dev/null \
    || e2e_skip "the CRI client needs python3-grpcio and python3-grpc-tools (apt-get install" \
                "python3-grpc-tools; scripts/install-deps.sh does)"
  D="$E2E_DIR/ctd"
  CONF="$D/config.toml"
  CANARY="$E2E_DIR/canary"
  STUBS="$E2E_DIR/stubs"
  mkdir -p "$D" "$E2E_DIR/pods" "$STUBS"
  /usr/bin/python3 -m grpc_tools.protoc -I "$CRI_HERE/cri" --python_out="$STUBS" \
    --grpc_python_out="$STUBS" cri_subset.proto || e2e_abort "grpc_tools.protoc failed"
  C=(ctr --address "$D/c.sock" -n k8s.io)
}

cri() { /usr/bin/python3 "$CRI_HERE/cri/cri_client.py" --socket "$D/c.sock" --stubs "$STUBS" "$@"; }

# The cleanup lib.sh runs at exit (a test that has more to stop defines its own
# e2e_extra_cleanup after sourcing this file and calls cri_cleanup from it).
e2e_extra_cleanup() { cri_cleanup; }

cri_cleanup() {
  [[ -n ${D:-} ]] || return 0  # skipped before cri_init got that far
  if [[ -S "$D/c.sock" ]]; then
    # Pods first (their containers go with them), through the CRI; then any task left.
    cri remove-pods > /dev/null 2>&1
    local t
    for t in $("${C[@]}" tasks ls -q 2> /dev/null); do
      "${C[@]}" tasks kill -s SIGKILL "$t" > /dev/null 2>&1
      "${C[@]}" tasks delete -f "$t" > /dev/null 2>&1
    done
  fi
  # A containerd restarted by a command the test handed out is not in E2E_PIDS.
  [[ -f "$D/pid" ]] && cri_stop_containerd
}

# cri_stock_config: $CONF = Debian 12's stock /etc/containerd/config.toml (checked by its
# md5) with private paths and this sandbox's CRI settings.
cri_stock_config() {
  local stock="$CRI_SRC/tests/fixtures/containerd/debian-12-config.toml"
  # md5 of the conffile as containerd 1.6.20~ds1-1+deb12u3 ships it (dpkg-query -W -f
  # '${Conffiles}' containerd).
  [[ $(md5sum < "$stock") == "773cf1c5a249197a8ef37a08ac168414  -" ]] \
    || e2e_abort "$stock is not Debian 12's stock config.toml"
  grep -q runtimes "$stock" && e2e_abort "the stock file was expected to name no runtime"
  # Top-level keys go above its first table. restrict_oom_score_adj: this sandbox has no
  # CAP_SYS_RESOURCE, so runc cannot give the pause container oom_score_adj -998 ("can't get
  # final child's PID from pipe: EOF"); sandbox_image: cri_pause_image's (no registry).
  awk -v d="$D" '
    NR == 1 && $0 == "version = 2" {
      print; print "root = \"" d "/root\""; print "state = \"" d "/state\""
      print "[grpc]"; print "  address = \"" d "/c.sock\""
      print "[ttrpc]"; print "  address = \"" d "/c.sock.ttrpc\""; next }
    $0 == "  [plugins.\"io.containerd.grpc.v1.cri\"]" {
      print; print "    restrict_oom_score_adj = true"
      print "    sandbox_image = \"localhost/verified-e2e/pause:1\""; next }
    { sub("/var/lib/containerd/opt", d "/opt"); print }' "$stock" > "$CONF"
  [[ $(grep -c "$D" "$CONF") -eq 5 ]] && grep -q restrict_oom_score_adj "$CONF" \
    || e2e_abort "could not adapt the stock config: $(cat "$CONF")"
}

# cri_write_restart_script PATH: a script that (re)starts the private containerd in the
# background on $CONF with the test's config dir (inherited by every shim), its PID in $D/pid:
# the test's `systemctl restart containerd`.
cri_write_restart_script() {
  cat > "$1" << EOF
#!/bin/bash
# Restarts the test's private containerd, as \`systemctl restart containerd\` would.
if [[ -f '$D/pid' ]]; then
  pid=\$(cat '$D/pid'); kill "\$pid" 2> /dev/null
  for _ in \$(seq 1 100); do kill -0 "\$pid" 2> /dev/null || break; sleep 0.1; done
fi
VERIFIED_CONFIG_DIR='$CFG' containerd --config '$CONF' >> '$D/containerd.log' 2>&1 < /dev/null &
echo \$! > '$D/pid'
for _ in \$(seq 1 150); do ctr --address '$D/c.sock' version > /dev/null 2>&1 && exit 0; sleep 0.2; done
echo "containerd did not start" >&2; exit 1
EOF
  chmod +x "$1"
}

cri_start_containerd() {
  cri_write_restart_script "$D/restart.sh"
  "$D/restart.sh" || e2e_abort "containerd did not start: $(tail -5 "$D/containerd.log")"
}

cri_stop_containerd() {
  local pid
  pid=$(cat "$D/pid")
  kill "$pid" 2> /dev/null
  for _ in $(seq 1 100); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2> /dev/null
  rm -f "$D/pid"
}

# cri_plugin_ok: containerd's CRI plugin loaded (ctr plugins ls: io.containerd.grpc.v1 cri ok).
cri_plugin_ok() {
  ctr --address "$D/c.sock" plugins ls \
    | grep -Eq '^io\.containerd\.grpc\.v1[[:space:]]+cri[[:space:]].*[[:space:]]ok[[:space:]]*$'
}

# cri_pause_image: the sandbox image, FROM scratch with a static pause program, imported as
# localhost/verified-e2e/pause:1 into k8s.io.
cri_pause_image() {
  local p="$E2E_DIR/oci-pause"
  cc -static -Os -s -o "$E2E_DIR/pause" "$CRI_HERE/cri/pause.c" || e2e_abort "cannot build pause"
  { umoci init --layout "$p" && umoci new --image "$p:1" \
      && umoci unpack --rootless --image "$p:1" "$E2E_DIR/pause-b" > /dev/null \
      && install -m 0755 "$E2E_DIR/pause" "$E2E_DIR/pause-b/rootfs/pause" \
      && umoci repack --image "$p:1" "$E2E_DIR/pause-b" \
      && umoci config --image "$p:1" --config.entrypoint /pause \
      && oci_archive "$p" "$E2E_DIR/pause.tar"; } || e2e_abort "pause image"
  expect_ok "${C[@]}" images import --base-name localhost/verified-e2e/pause "$E2E_DIR/pause.tar"
}

# cri_image NAME: docker.io/library/NAME:1 (oci_image) imported into k8s.io.
cri_image() {
  oci_image "$E2E_DIR/oci-$1" 1 "$1-1" > /dev/null \
    && oci_archive "$E2E_DIR/oci-$1" "$E2E_DIR/$1.tar" || e2e_abort "image $1"
  expect_ok "${C[@]}" images import --base-name "docker.io/library/$1" "$E2E_DIR/$1.tar"
}

run_pod() {  # run_pod NAME [--handler H]: prints the sandbox id
  mkdir -p "$E2E_DIR/pods/$1"
  cri run-pod "$1" --log-dir "$E2E_DIR/pods/$1" "${@:2}"
}

# run_ctr POD_ID POD NAME IMAGE [client flags...]: a container that writes the canary NAME,
# then stays up (for the audit).
run_ctr() {
  local pod_id=$1 pod=$2 name=$3 image=$4
  shift 4
  cri run-container "$pod_id" "$pod" "$name" "$image" --log-dir "$E2E_DIR/pods/$pod" \
    --mount "$CANARY:/canary" "$@" -- sh -c "touch /canary/$name; exec sleep 600"
}
