#!/bin/bash
# Benchmark of the create path against bare runc, in one run on this machine:
#   - median wall time of `runc run` of a busybox bundle vs `verified-runtime run` of the same
#     (provenance resolvable through a real Docker overlay2 store, allowed), N each,
#     interleaved;
#   - create decision time with 1, 1,000 and 10,000 registered images;
#   - the same decision (1 registered image) with the rule also requiring signed_by, the image
#     signed and its manifest imported, alone and with 10,000 signatures for other digests,
#     each with no verification cache and with a warm one (a private state dir).
# Usage: bench/run_runtime_bench.sh [BUILD_DIR] [N]
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:-$HERE/../build}
N=${2:-100}
export VERIFIED_RUNTIME=$BUILD/shim/verified-runtime VERIFIEDCTL=$BUILD/ctl/verifiedctl
source "$HERE/../tests/e2e/lib.sh"
e2e_init
e2e_start_docker
e2e_build_image bench:1
vctl register bench:1 > /dev/null
vctl policy allow bench --require registered > /dev/null

# A created (not started) container: dockerd has written every store file; we mount its
# overlay ourselves exactly as dockerd would at start, and hand runc a bundle on top of it.
cid=$(d create --network=none bench:1 /bin/true)
lower=$(d inspect --format '{{.GraphDriver.Data.LowerDir}}' "$cid")
upper=$(d inspect --format '{{.GraphDriver.Data.UpperDir}}' "$cid")
work=$(d inspect --format '{{.GraphDriver.Data.WorkDir}}' "$cid")
merged=$(d inspect --format '{{.GraphDriver.Data.MergedDir}}' "$cid")
mkdir -p "$merged"
mount -t overlay overlay -o "lowerdir=$lower,upperdir=$upper,workdir=$work" "$merged" || e2e_skip "cannot mount overlay"
bundle="$E2E_DIR/bundle"
mkdir -p "$bundle"
(cd "$bundle" && runc spec)
python3 - "$bundle/config.json" "$merged" <<'PY'
import json, sys
p = json.load(open(sys.argv[1]))
p["root"] = {"path": sys.argv[2], "readonly": False}
p["process"]["args"] = ["/bin/true"]
p["process"]["terminal"] = False
json.dump(p, open(sys.argv[1], "w"))
PY

# Config dirs for the decision-time series (tmpfs: setting up 10,000 fsynced records on disk
# would take minutes; the decision reads them from the page cache either way).
series=()
for count in 1 1000 10000; do
  dir=$(mktemp -d /dev/shm/vfy-bench.XXXXXX)
  chmod 755 "$dir"
  cp "$CFG/policy.json" "$dir/"
  cp -r "$CFG/images" "$dir/"
  "$BUILD/bench/fill_registrations" "$dir" $((count - 1)) || fail "fill $count"
  series+=(--decision-config-dir "$dir")
done
# Signed series: the bench rule also requires a signature by ci, imported with the manifest
# `skopeo copy docker-daemon:` would write for bench:1; then 10,000 other signed digests.
source "$HERE/../tests/e2e/signing_lib.sh"
vctl key generate ci --private-out "$E2E_DIR/ci.key" > /dev/null || fail "key generate"
digest=$(docker_manifest_for bench:1 "$E2E_DIR/bench.manifest.json")
simple_sign "$E2E_DIR/ci.key" "$digest" docker.io/library/bench "$E2E_DIR/bench"
vctl signature import --payload "$E2E_DIR/bench.payload" --signature "$E2E_DIR/bench.sig" \
  --manifest "$E2E_DIR/bench.manifest.json" > /dev/null || fail "signature import"
for others in 0 10000; do
  dir=$(mktemp -d /dev/shm/vfy-bench.XXXXXX)
  chmod 755 "$dir"
  cp -r "$CFG/policy.json" "$CFG/images" "$CFG/keys" "$CFG/signatures" "$dir/"
  "$VERIFIEDCTL" --config-dir "$dir" policy allow bench --require registered \
    --require signed_by=ci > /dev/null || fail "signed policy"
  "$BUILD/bench/fill_signatures" "$dir" "$others" || fail "fill signatures $others"
  series+=(--decision-config-dir "$dir")
done
e2e_extra_cleanup() { umount "$merged" 2>/dev/null; rm -rf /dev/shm/vfy-bench.* /dev/shm/vfy-bench-runc.*; }

# runc's state lives on tmpfs in production (/run/runc, /run/containerd/runc); this VM's /run
# is on disk, so use /dev/shm for both sides.
runc_root=$(mktemp -d /dev/shm/vfy-bench-runc.XXXXXX)
state_root=$(mktemp -d /dev/shm/vfy-bench-runc.XXXXXX)  # the decisions' verification caches
"$BUILD/bench/runtime_bench" --runc "$(command -v runc)" --verified "$VERIFIED_RUNTIME" \
  --bundle "$bundle" --id "$cid" --root "$runc_root" --config-dir "$CFG" --state-dir "$state_root" -n "$N" \
  "${series[@]}" || fail "benchmark failed"
