#!/bin/bash
# Create decision time for a Podman-created container: a private Podman store, an image built
# offline, one container initialised by Podman (rootfs mounted from containers/storage, bundle
# written); then runtime_create_bench times `runc create` and `verified-runtime create` on a
# copy of that bundle, medians from the same run.
#   bench/podman_create_bench.sh [BUILD_DIR] [ROUNDS]      (root; podman, runc, busybox)
set -euo pipefail
BUILD=$(cd "${1:-$(dirname "$0")/../build}" && pwd)
ROUNDS=${2:-30}
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
# Our own copy of the bundle: same root.path (Podman keeps it mounted while the container is
# "created"), a bench-only cgroup so the two containers never share one.
python3 - "$D/root/overlay-containers/$id/userdata/config.json" "$D/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("linux", {})["cgroupsPath"] = "/verified-bench"
c["process"]["args"] = ["/bin/sh", "-c", "exit 0"]
json.dump(c, open(sys.argv[2], "w"))
PY
printf '{"decision_log": "%s/decisions.log"}\n' "$D" > "$D/cfg/runtime.json"
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" register bench:3 --engine podman --root "$D/root" > /dev/null
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" policy allow localhost/bench --require registered > /dev/null
echo "podman $(podman --version | awk '{print $3}'), image with 4 layers, container $id"
"$BUILD/bench/runtime_create_bench" --runtime "$BUILD/shim/verified-runtime" --runc "$RUNC" \
  --config-dir "$D/cfg" --bundle "$D/bundle" --id "$id" --runc-root "$D/runc" -n "$ROUNDS"
# What verified adds, without runc's own create (much larger and noisier than the decision):
# the same decision with /bin/true standing in for runc, as bench/containerd_create.sh does.
cp -a "$D/cfg" "$D/cfg-true"
printf '{"decision_log": "%s/decisions.log", "runc": "/bin/true"}\n' "$D" > "$D/cfg-true/runtime.json"
echo "the decision alone (runc replaced by /bin/true), $ROUNDS rounds each:"
"$BUILD/bench/bench_exec_timer" "$ROUNDS" \
  true /bin/true --root "$D/runc" create --bundle "$D/bundle" "$id" -- -- \
  verified "$BUILD/shim/verified-runtime" --config-dir "$D/cfg-true" --root "$D/runc" create \
  --bundle "$D/bundle" "$id" --
grep -o '"elapsed_us":[0-9]*' "$D/decisions.log" | cut -d: -f2 | sort -n \
  | awk '{v[NR] = $1} END {printf "decision as the decision log records it: median %.2f ms over %d decisions\n", v[int((NR + 1) / 2)] / 1000, NR}'
