# Podman setup shared by the podman_*.sh end-to-end tests; source it after lib.sh and e2e_init.
#
# Podman 4.3 gets a private --root/--runroot/--tmpdir under the test dir and an empty
# containers.conf (CONTAINERS_CONF), so a test depends on nothing outside its directory.
# Containers run with --runtime verified-runtime (our --config-dir passed with --runtime-flag),
# no network, and the ulimits this machine needs (podman's default nofile exceeds its hard
# limit). Every container is removed at exit (e2e_extra_cleanup, called by lib.sh's cleanup),
# success or failure; podman runs no daemon, so nothing else is left running.
e2e_need podman conmon runc busybox

PR="$E2E_DIR/podman"
mkdir -p "$PR/tmp"
: > "$E2E_DIR/containers.conf"
export CONTAINERS_CONF="$E2E_DIR/containers.conf"
ULIMITS=(--ulimit nofile=20000:20000 --ulimit nproc=32768:32768)
pm() {
  podman --root "$PR/root" --runroot "$PR/runroot" --tmpdir "$PR/tmp" --storage-driver overlay \
    --cgroup-manager=cgroupfs --events-backend=file "$@"
}
PM_BUILD_FLAGS=()  # extra `podman build` flags (e.g. ULIMITS for RUN steps)
VFLAGS=(--runtime-flag "config-dir=$CFG" --runtime-flag "seal-dir=$VERIFIED_SEAL_DIR"
  --runtime-flag "state-dir=$VERIFIED_STATE_DIR")
# pm_verified SUBCOMMAND ARGS...: podman with our runtime.
pm_verified() { pm --runtime "$VERIFIED_RUNTIME" "${VFLAGS[@]}" "$@"; }
pvctl() { vctl "$@" --engine podman --root "$PR/root" --runroot "$PR/runroot"; }
e2e_extra_cleanup() { pm rm -fa -t 0 > /dev/null 2>&1; pm volume rm -fa > /dev/null 2>&1; }

# pm_build TAG [Containerfile lines...]: FROM scratch + busybox-static, no network, no runtime.
pm_build() {
  local tag=$1; shift
  local ctx
  ctx=$(mktemp -d "$E2E_DIR/ctx.XXXXXX")
  mkdir -p "$ctx/root/bin" "$ctx/root/tmp"
  cp /bin/busybox "$ctx/root/bin/busybox"
  local app
  for app in sh echo cat touch ls sleep id true; do ln -s busybox "$ctx/root/bin/$app"; done
  echo "$tag $RANDOM" > "$ctx/stamp"
  {
    echo "FROM scratch"
    echo "COPY root/ /"
    echo "COPY stamp /etc/image-stamp"
    local line
    for line in "$@"; do echo "$line"; done
    echo 'CMD ["/bin/sh","-c","echo hello"]'
  } > "$ctx/Containerfile"
  pm build -q --network=none "${PM_BUILD_FLAGS[@]}" -t "$tag" -f "$ctx/Containerfile" "$ctx" > /dev/null || fail "podman build $tag"
}
