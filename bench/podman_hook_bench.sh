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
source "$(dirname "$0")/podman_bench_lib.sh"
mkdir -p "$D/bundle-hook"
HOOK="$BUILD/hooks/verified-hook"
# Two copies of Podman's bundle (same root.path: Podman keeps it mounted while the container
# is "created"), a bench-only cgroup; the second runs verified-hook at createRuntime, as the
# hooks.d file makes Podman and CRI-O write it.
/usr/bin/python3 - "$PODMAN_CONFIG" "$D" "$HOOK" <<'PY'
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
echo "podman $(podman --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1{print $3}'), image with 4 layers, container $id"
"$BUILD/bench/hook_create_bench" --runc "$RUNC" --runtime "$BUILD/shim/verified-runtime" \
  --hook "$HOOK" --config-dir "$D/cfg" --bundle "$D/bundle" --hook-bundle "$D/bundle-hook" \
  --state "$D/state.json" --id "$id" --runc-root "$D/runc" -n "$ROUNDS"
grep '"command":"create-hook"' "$D/decisions.log" | grep -o '"elapsed_us":[0-9]*' | cut -d: -f2 | sort -n \
  | awk '{v[NR] = $1} END {printf "hook decision as the decision log records it: median %.2f ms over %d decisions\n", v[int((NR + 1) / 2)] / 1000, NR}'
