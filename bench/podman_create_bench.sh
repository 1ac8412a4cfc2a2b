#!/bin/bash
# Create decision time for a Podman-created container: a private Podman store, an image built
# offline, one container initialised by Podman (rootfs mounted from containers/storage, bundle
# written); then runtime_create_bench times `runc create` and `verified-runtime create` on a
# copy of that bundle, medians from the same run.
#   bench/podman_create_bench.sh [BUILD_DIR] [ROUNDS]      (root; podman, runc, busybox)
set -euo pipefail
BUILD=$(cd "${1:-$(dirname "$0")/../build}" && pwd)
ROUNDS=${2:-30}
source "$(dirname "$0")/podman_bench_lib.sh"
# Our own copy of the bundle: same root.path (Podman keeps it mounted while the container is
# "created"), a bench-only cgroup so the two containers never share one.
/usr/bin/python3 - "$PODMAN_CONFIG" "$D/bundle/config.json" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
c.setdefault("linux", {})["cgroupsPath"] = "/verified-bench"
c["process"]["args"] = ["/bin/sh", "-c", "exit 0"]
json.dump(c, open(sys.argv[2], "w"))
PY
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
