# Shared set-up of the Podman benchmarks (podman_create_bench.sh, podman_hook_bench.sh): a
# private Podman store under a temp dir, a 4-layer image built offline from busybox, one
# container initialised by Podman with runc (rootfs mounted from containers/storage, bundle
# written; its id in $id), a config dir in $D/cfg whose policy allows that image as registered.
# Sourced after `set -euo pipefail` with BUILD and ROUNDS set; needs root, podman, runc, busybox.
for b in podman runc busybox; do command -v $b > /dev/null || { echo "needs $b"; exit 2; }; done
D=$(mktemp -d /tmp/vfy-podman-bench.XXXXXX)
pm() {
  podman --root "$D/root" --runroot "$D/runroot" --tmpdir "$D/tmp" --storage-driver overlay \
    --cgroup-manager=cgroupfs --events-backend=file "$@"
}
cleanup() {
  pm rm -fa -t 0 > /dev/null 2>&1 || true
  awk -v d="$D" '$5 ~ "^"d {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l 2>/dev/null || true
  rm -rf "$D"
}
[[ -n "${KEEP:-}" ]] || trap cleanup EXIT
echo "work dir: $D"
export CONTAINERS_CONF="$D/containers.conf"
: > "$CONTAINERS_CONF"
mkdir -p "$D/ctx/root/bin" "$D/tmp" "$D/cfg" "$D/bundle"
cp /bin/busybox "$D/ctx/root/bin/"
ln -s busybox "$D/ctx/root/bin/sh"
printf 'FROM scratch\nCOPY root/ /\nCMD ["/bin/sh"]\n' > "$D/ctx/Containerfile"
for i in 1 2 3; do printf 'FROM localhost/bench:%d\nCOPY Containerfile /layer%d\n' $((i-1)) $i > "$D/ctx/C$i"; done
pm build -q -t bench:0 -f "$D/ctx/Containerfile" "$D/ctx" > /dev/null
for i in 1 2 3; do pm build -q -t bench:$i -f "$D/ctx/C$i" "$D/ctx" > /dev/null; done
RUNC=$(command -v runc)
id=$(pm --runtime "$RUNC" create --network=none --ulimit nofile=20000:20000 \
       --ulimit nproc=32768:32768 localhost/bench:3 /bin/sh -c 'exit 0')
pm --runtime "$RUNC" init "$id" > /dev/null
printf '{"decision_log": "%s/decisions.log"}\n' "$D" > "$D/cfg/runtime.json"
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" register bench:3 --engine podman --root "$D/root" > /dev/null
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" policy allow localhost/bench --require registered > /dev/null
# Podman's own bundle: copies keep root.path (Podman keeps it mounted while "created").
PODMAN_CONFIG="$D/root/overlay-containers/$id/userdata/config.json"
