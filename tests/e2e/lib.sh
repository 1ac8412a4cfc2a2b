# Shared helpers for end-to-end tests: real engines from Debian's packages, each with private
# roots and sockets under a temp dir, stopped at the end whatever happens.
#
# A test sources this file, calls e2e_init, then e.g. e2e_start_docker. Exit 77 = skipped
# (CTest SKIP_RETURN_CODE), printed loudly with the reason.
set -uo pipefail

: "${VERIFIED_RUNTIME:?VERIFIED_RUNTIME must point at the built verified-runtime}"
: "${VERIFIEDCTL:?VERIFIEDCTL must point at the built verifiedctl}"
DOCKER_CLI=${DOCKER_CLI:-/usr/bin/docker}   # the client that matches Debian's daemon
E2E_FAILED=0
E2E_PIDS=()

e2e_skip() {
  # A failure already seen is reported as one: a later skip must not hide it.
  if [[ ${E2E_FAILED:-0} -ne 0 ]]; then
    echo "FAIL: a check failed before the test had to skip ($*)" >&2
    exit 1
  fi
  echo "=================================================================="
  echo "SKIPPED: $*"
  echo "=================================================================="
  exit 77
}

e2e_log() { echo "--- $*"; }

fail() {
  echo "FAIL: $*" >&2
  E2E_FAILED=1
}

# A failure the rest of the test cannot go on from (an engine that is installed but did not
# start is a failure, not a skip: a skip is for what is absent).
e2e_abort() {
  fail "$*"
  exit 1
}

pass() { echo "ok: $*"; }

# Runs "$@", expecting success.
expect_ok() {
  local out
  if out=$("$@" 2>&1); then pass "$*"; else fail "$* (rc=$?): $out"; fi
  LAST_OUT=$out
}

# Runs "$@", expecting a refusal; the output is kept in LAST_OUT (and the status in LAST_RC).
# A death by signal (status 129-191: a crash, a kill) or a missing command (127) is not a
# refusal: it fails. 255 is an exit(-1) (`podman exec` when the runtime refuses), not a signal.
expect_fail() {
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  LAST_OUT=$out
  LAST_RC=$rc
  if [[ $rc -eq 0 ]]; then
    fail "$* succeeded but should have failed: $out"
  elif [[ $rc -eq 127 || ($rc -gt 128 && $rc -lt 192) ]]; then
    fail "$* died (rc=$rc) instead of refusing: $out"
  else
    pass "refused (rc=$rc): $*"
  fi
}

# expect_refused_check NEEDLE...: the last expect_fail was a `verifiedctl check`/`explain`; it must
# have refused the image (exit 1), not failed to decide (exit 2: a usage error, an unreadable
# store), and its output must name each NEEDLE (the reason).
expect_refused_check() {
  if [[ ${LAST_RC:-} == 1 ]]; then pass "verifiedctl refused (exit 1)"
  else fail "verifiedctl exit ${LAST_RC:-unset}, not 1 (refused): $LAST_OUT"; fi
  local needle
  for needle in "$@"; do expect_contains "$LAST_OUT" "$needle" "verifiedctl"; done
}

# expect_contains TEXT NEEDLE [what]
expect_contains() {
  # An empty needle matches anything: a test that builds one has a bug of its own.
  if [[ -z "$2" ]]; then fail "expect_contains called with an empty needle (${3:-output})"; return; fi
  if [[ "$1" == *"$2"* ]]; then pass "${3:-output} mentions '$2'"; else fail "${3:-output} lacks '$2': $1"; fi
}

expect_not_contains() {
  if [[ "$1" != *"$2"* ]]; then pass "${3:-output} does not mention '$2'"; else fail "${3:-output} mentions '$2': $1"; fi
}

expect_no_file() {
  if [[ -e "$1" ]]; then fail "$1 exists: the refused container ran"; else pass "no $1: nothing ran"; fi
}

expect_file() {
  if [[ -e "$1" ]]; then pass "$1 exists"; else fail "$1 missing"; fi
}

e2e_init() {
  [[ $(id -u) -eq 0 ]] || e2e_skip "end-to-end tests need root (they start real engines)"
  E2E_DIR=$(mktemp -d /tmp/vfy-e2e.XXXXXX)
  # Unique per run, for names that land outside E2E_DIR: containerd's shim keeps runc state
  # in /run/containerd/runc/<namespace>/<id> and ctr's cgroup is /<namespace>/<id>, whichever
  # containerd started it, so fixed ids would collide between overlapping or leftover runs.
  E2E_RUN_ID=${E2E_DIR##*.}
  chmod 755 "$E2E_DIR"
  CFG="$E2E_DIR/cfg"
  mkdir -p "$CFG" "$E2E_DIR/canary"
  chmod 755 "$CFG"
  printf '{"decision_log": "%s/decisions.log"}\n' "$E2E_DIR" > "$CFG/runtime.json"
  # The host-wide seal index (docs/sealed.md), private to this run; engines started by the
  # test inherit it (Podman's conmon does not: podman_lib.sh passes it as a runtime flag).
  export VERIFIED_SEAL_DIR="$E2E_DIR/seals"
  # The state dir (signed-policy mark, signature verification cache), private to this run as
  # well: the runtime writes the verification cache there at each signed create.
  export VERIFIED_STATE_DIR="$E2E_DIR/state"
  trap e2e_cleanup EXIT
  trap 'exit 130' INT TERM
}

vctl() { "$VERIFIEDCTL" --config-dir "$CFG" "$@"; }

e2e_need() {
  local bin
  for bin in "$@"; do
    command -v "$bin" >/dev/null 2>&1 || e2e_skip "$bin is not installed (apt-get install it; .ci/run does)"
  done
}

e2e_wait_for() {  # e2e_wait_for SECONDS CMD...
  local deadline=$((SECONDS + $1)); shift
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then return 1; fi
    sleep 0.2
  done
}

# Starts a private containerd (no CRI plugin) on $1 (a directory).
e2e_start_containerd() {
  local dir=$1
  mkdir -p "$dir"
  cat > "$dir/config.toml" <<TOML
version = 2
root = "$dir/root"
state = "$dir/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$dir/c.sock"
[ttrpc]
  address = "$dir/c.sock.ttrpc"
# No scheduled garbage collection: re-importing a tag (the tests' tamper step) leaves the old
# image's snapshots unreferenced for a moment while the new image is unpacked on top of the
# layers they share, and a collection in that window removes the parent being built on ("ctr:
# failed to prepare extraction snapshot ... parent snapshot ... does not exist", seen in e2e).
[plugins."io.containerd.gc.v1.scheduler"]
  mutation_threshold = 1000000000
  deletion_threshold = 0
  startup_delay = "24h"
TOML
  containerd --config "$dir/config.toml" > "$dir/containerd.log" 2>&1 &
  E2E_PIDS+=($!)
  echo $! > "$dir/pid"
  e2e_wait_for 30 ctr --address "$dir/c.sock" version || {
    cat "$dir/containerd.log"; e2e_abort "private containerd did not start"; }
}

# A private containerd at $E2E_DIR/ctd whose shims run the runtime with the test's config dir:
# ctr's --runc-binary takes a path only, no arguments, so the runtime finds its config dir in
# VERIFIED_CONFIG_DIR, inherited from containerd by every shim it starts. Sets CTD,
# CONTAINERD_ADDRESS and C (the ctr command for it).
e2e_start_runtime_containerd() {
  CTD="$E2E_DIR/ctd"
  export VERIFIED_CONFIG_DIR="$CFG"
  e2e_start_containerd "$CTD"
  unset VERIFIED_CONFIG_DIR
  export CONTAINERD_ADDRESS="$CTD/c.sock"
  C=(ctr --address "$CTD/c.sock")
}

# Starts a private dockerd with daemon.json $E2E_DIR/daemon.json (created if absent).
e2e_start_docker() {
  e2e_need dockerd containerd ctr "$DOCKER_CLI"
  local d="$E2E_DIR/docker"
  mkdir -p "$d"
  [[ -f "$E2E_DIR/daemon.json" ]] || vctl install docker --daemon-json "$E2E_DIR/daemon.json" \
      --runtime-path "$VERIFIED_RUNTIME" > /dev/null
  e2e_start_containerd "$d/containerd"
  dockerd --config-file "$E2E_DIR/daemon.json" --data-root "$d/data" --exec-root "$d/exec" \
    --pidfile "$d/docker.pid" -H "unix://$d/docker.sock" --containerd "$d/containerd/c.sock" \
    --bridge=none --iptables=false --ip-masq=false --storage-driver=overlay2 \
    > "$d/dockerd.log" 2>&1 &
  DOCKERD_PID=$!
  E2E_PIDS+=($DOCKERD_PID)
  export DOCKER_HOST="unix://$d/docker.sock"
  e2e_wait_for 60 "$DOCKER_CLI" version || { tail -30 "$d/dockerd.log"; e2e_abort "private dockerd did not start"; }
  DOCKER_DATA="$d/data"
}

# Sends SIGHUP so dockerd re-reads daemon.json (runtimes, default-runtime) and waits until it
# has: dockerd applies the reload in a goroutine and logs "Reloaded configuration" when done
# (moby daemon/reload.go), so a fixed sleep could run the next command on the old config.
e2e_reload_docker() {
  local log="$E2E_DIR/docker/dockerd.log" before
  before=$(grep -c 'Reloaded configuration' "$log")
  kill -HUP "$DOCKERD_PID"
  e2e_wait_for 30 sh -c "[ \$(grep -c 'Reloaded configuration' '$log') -gt $before ]" \
    || { tail -20 "$log"; e2e_abort "dockerd did not reload daemon.json"; }
}

# e2e_stop_pid PID: stops a process the test started (and registered in E2E_PIDS) before the
# end, and forgets it, so the cleanup does not signal a PID the kernel may have reused.
e2e_stop_pid() {
  kill "$1" 2> /dev/null; wait "$1" 2> /dev/null
  local i
  for i in "${!E2E_PIDS[@]}"; do [[ ${E2E_PIDS[$i]} == "$1" ]] && unset "E2E_PIDS[$i]"; done
  E2E_PIDS=("${E2E_PIDS[@]}")
}

d() { "$DOCKER_CLI" "$@"; }

# e2e_build_image TAG [DOCKERFILE LINES...]: FROM scratch + busybox-static, offline.
e2e_build_image() {
  local tag=$1; shift
  local ctx
  ctx=$(mktemp -d "$E2E_DIR/ctx.XXXXXX")
  mkdir -p "$ctx/root/bin" "$ctx/root/tmp"
  cp /bin/busybox "$ctx/root/bin/busybox"
  local app
  for app in sh echo cat touch ls sleep id true false; do ln -s busybox "$ctx/root/bin/$app"; done
  echo "$tag" > "$ctx/image-tag"
  {
    echo "FROM scratch"
    echo "COPY root/ /"
    echo "COPY image-tag /etc/image-tag"
    local line
    for line in "$@"; do echo "$line"; done
    echo 'CMD ["/bin/sh","-c","echo hello from $HOSTNAME"]'
  } > "$ctx/Dockerfile"
  d build -q -t "$tag" "$ctx" > /dev/null || fail "docker build $tag"
}

e2e_cleanup() {
  local rc=$?
  set +e
  if [[ -n "${DOCKER_HOST:-}" ]] && [[ -S "${DOCKER_HOST#unix://}" ]]; then
    local ids
    ids=$("$DOCKER_CLI" ps -aq 2>/dev/null)
    [[ -n "$ids" ]] && "$DOCKER_CLI" rm -f $ids > /dev/null 2>&1
  fi
  if declare -F e2e_extra_cleanup > /dev/null; then e2e_extra_cleanup; fi
  local pid
  for ((i = ${#E2E_PIDS[@]} - 1; i >= 0; i--)); do
    pid=${E2E_PIDS[$i]}
    kill "$pid" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  # Unmount anything the engines left under our dir, deepest first.
  if [[ -n "${E2E_DIR:-}" ]]; then
    awk -v d="$E2E_DIR" '$5 ~ "^"d {print $5}' /proc/self/mountinfo | sort -r | while read -r m; do
      umount -l "$m" 2>/dev/null
    done
    if [[ $E2E_FAILED -ne 0 || $rc -ne 0 ]] && [[ -f "$E2E_DIR/decisions.log" ]]; then
      echo "--- decision log:"; tail -20 "$E2E_DIR/decisions.log"
    fi
    rm -rf "$E2E_DIR"
  fi
  if [[ $rc -eq 77 ]]; then exit 77; fi
  if [[ $E2E_FAILED -ne 0 || $rc -ne 0 ]]; then
    echo "E2E FAILED"
    exit 1
  fi
  echo "E2E PASSED"
  exit 0
}
