#!/bin/bash
# What verified-hook adds to a container create, against the same runc without it, measured in
# one run: a private Podman store, an image built offline, one container initialised by Podman
# (rootfs mounted from containers/storage, bundle written); then hook_create_bench times, on
# copies of that bundle, `runc create` without hooks, `runc create` with verified-hook under
# hooks.createRuntime, and `verified-runtime create` (the wrapper), medians from the same run.
#   bench/podman_hook_bench.sh [BUILD_DIR] [ROUNDS]      (root; podman, runc, busybox)
set -euo pipefail
BUILD=$(cd "${1:-$(dirname "$0")/../build}" && pwd)
ROUNDS=${2:-30}
for b in podman runc busybox; do command -v $b > /dev/null || { echo "needs $b"; exit 2; }; done
D=$(mktemp -d /tmp/vfy-hook-bench.XXXXXX)
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
mkdir -p "$D/ctx/root/bin" "$D/tmp" "$D/cfg" "$D/bundle" "$D/bundle-hook"
cp /bin/busybox "$D/ctx/root/bin/"
ln -s busybox "$D/ctx/root/bin/sh"
printf 'FROM scratch\nCOPY root/ /\nCMD ["/bin/sh"]\n' > "$D/ctx/Containerfile"
for i in 1 2 3; do printf 'FROM localhost/bench:%d\nCOPY Containerfile /layer%d\n' $((i-1)) $i > "$D/ctx/C$i"; done
pm build -q -t bench:0 -f "$D/ctx/Containerfile" "$D/ctx" > /dev/null
for i in 1 2 3; do pm build -q -t bench:$i -f "$D/ctx/C$i" "$D/ctx" > /dev/null; done
RUNC=$(command -v runc)
HOOK="$BUILD/hooks/verified-hook"
id=$(pm --runtime "$RUNC" create --network=none --ulimit nofile=20000:20000 \
       --ulimit nproc=32768:32768 localhost/bench:3 /bin/sh -c 'exit 0')
pm --runtime "$RUNC" init "$id" > /dev/null
# Two copies of Podman's bundle (same root.path: Podman keeps it mounted while the container
# is "created"), a bench-only cgroup; the second runs verified-hook at createRuntime, as the
# hooks.d file makes Podman and CRI-O write it.
/usr/bin/python3 - "$D/root/overlay-containers/$id/userdata/config.json" "$D" "$HOOK" <<'PY'
import json, sys
src, d, hook = sys.argv[1:4]
c = json.load(open(src))
c.setdefault("linux", {})["cgroupsPath"] = "/verified-bench"
c["process"]["args"] = ["/bin/sh", "-c", "exit 0"]
c.pop("hooks", None)
json.dump(c, open(d + "/bundle/config.json", "w"))
c["hooks"] = {"createRuntime": [{"path": hook, "args": ["verified-hook", "--config-dir", d + "/cfg"],
                                 "timeout": 10}]}
json.dump(c, open(d + "/bundle-hook/config.json", "w"))
PY
printf '{"ociVersion":"1.0.2","id":"%s","status":"creating","pid":1,"bundle":"%s/bundle"}' \
  "$id" "$D" > "$D/state.json"
printf '{"decision_log": "%s/decisions.log"}\n' "$D" > "$D/cfg/runtime.json"
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" register bench:3 --engine podman --root "$D/root" > /dev/null
"$BUILD/ctl/verifiedctl" --config-dir "$D/cfg" policy allow localhost/bench --require registered > /dev/null
echo "podman $(podman --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1{print $3}'), image with 4 layers, container $id"
"$BUILD/bench/hook_create_bench" --runc "$RUNC" --runtime "$BUILD/shim/verified-runtime" \
  --hook "$HOOK" --config-dir "$D/cfg" --bundle "$D/bundle" --hook-bundle "$D/bundle-hook" \
  --state "$D/state.json" --id "$id" --runc-root "$D/runc" -n "$ROUNDS"
grep '"command":"create-hook"' "$D/decisions.log" | grep -o '"elapsed_us":[0-9]*' | cut -d: -f2 | sort -n \
  | awk '{v[NR] = $1} END {printf "hook decision as the decision log records it: median %.2f ms over %d decisions\n", v[int((NR + 1) / 2)] / 1000, NR}'
