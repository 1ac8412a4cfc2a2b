#!/bin/bash
# Benchmark: create-decision time under load (issue 14 §4), against the unloaded median
# measured in the same run.
#
# Starts a private dockerd with the runtime (tests/e2e/lib.sh: own data root, socket and
# containerd; no network), builds the images of tests/e2e/load_lib.sh, then:
#   1. unloaded: UNLOADED `docker run --rm --network=none --runtime=verified lok:1 true`, one
#      after the other, nothing else running in the test: the median decision time
#      (elapsed_us of the decision log: from the runtime's start of the decision to its
#      verdict, the policy re-read included);
#   2. loaded: N runs, P at a time, while verifiedctl edits the policy and registrations in
#      loops (the load of tests/e2e/docker_load.sh), checked as that test checks them
#      (tests/e2e/load_check.py: a wrong or missing decision is no measurement, the bench
#      fails); decision-time p50/p90/p99/max over all of them, and the median of the lok:1
#      ones (the same image as step 1).
# Prints the machine (nproc, CPU model, load average before and after).
#
# Usage (root): bench/load_bench.sh [BUILD_DIR]   (env: N=200 P=20 UNLOADED=21;
#               VERIFIEDCTL / VERIFIED_RUNTIME override the binaries of BUILD_DIR)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../build}" && pwd)
export VERIFIEDCTL=${VERIFIEDCTL:-$BUILD/ctl/verifiedctl}
export VERIFIED_RUNTIME=${VERIFIED_RUNTIME:-$BUILD/shim/verified-runtime}
N=${N:-200}
P=${P:-20}
UNLOADED=${UNLOADED:-21}
source "$HERE/../tests/e2e/lib.sh"
source "$HERE/../tests/e2e/load_lib.sh"
e2e_init
e2e_need python3 xargs sha256sum
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
e2e_start_docker
load_setup
[[ $E2E_FAILED -eq 0 ]] || e2e_abort "setup failed"

# elapsed_us of the decision-log lines of FILE whose image is IMAGE (all when "") -> stats.
stats() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, math, sys
path, image = sys.argv[1], sys.argv[2]
t = sorted(j["elapsed_us"] for j in map(json.loads, open(path)) if not image or j["image"] == image)
rank = lambda p: t[max(0, math.ceil(p / 100 * len(t)) - 1)]
print(f"n={len(t)} p50={rank(50)} p90={rank(90)} p99={rank(99)} max={t[-1]}")
PY
}

echo "--- unloaded: $UNLOADED runs of lok:1, one at a time"
for ((i = 0; i < UNLOADED; i++)); do
  out=$(d run --rm --network=none --runtime=verified lok:1 true 2>&1) \
    || e2e_abort "unloaded run $i failed (not a measurement): $out"
done
mv "$E2E_DIR/decisions.log" "$E2E_DIR/decisions.unloaded.log"
unloaded=$(stats "$E2E_DIR/decisions.unloaded.log" "")

echo "--- loaded: $N runs, $P at a time, policy and registrations edited in loops"
load_run "$N" "$P"
/usr/bin/python3 "$HERE/../tests/e2e/load_check.py" "$E2E_DIR" "$N" > "$E2E_DIR/check.out" 2>&1 \
  || { cat "$E2E_DIR/check.out"; e2e_abort "the loaded run's decisions are wrong: no measurement"; }
grep -E '^(ok|NOTE):' "$E2E_DIR/check.out"
loaded=$(stats "$E2E_DIR/decisions.log" "")
loaded_ok=$(stats "$E2E_DIR/decisions.log" "lok:1")

echo
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "load average (1/5/15 min): before $LOAD_BEFORE, after $(cut -d' ' -f1-3 /proc/loadavg)"
echo "runs: $N in $LOAD_WALL_MS ms ($P at a time); edits: $(cat "$LOAD_STATES/admin.cycles") admin cycles (6 verifiedctl edits each), $(cat "$LOAD_STATES/register.cycles") register/unregister cycles"
echo "decision time, us (elapsed_us of the decision log):"
printf '  %-34s %s\n' "unloaded, lok:1, one at a time" "$unloaded"
printf '  %-34s %s\n' "under load, all images" "$loaded"
printf '  %-34s %s\n' "under load, lok:1" "$loaded_ok"
