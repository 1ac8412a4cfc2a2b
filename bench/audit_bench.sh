#!/bin/bash
# Benchmark: `verifiedctl audit` of a host with 500 containers (issue: correct, and under 1 s).
#
# Starts a private dockerd (tests/e2e/lib.sh: own data root, socket and containerd; no
# network), builds a busybox image, creates CONTAINERS containers of which RUNNING run `sleep`
# under --runtime=verified (the rest are only created: enough for listing), then times, in the
# same run, the median of ROUNDS runs of:
#   - verifiedctl audit --all            (every container: listed, inspected, image proven
#                                          from the store, policy evaluated; spec rules and
#                                          the rootfs mount cross-check for the running ones)
#   - verifiedctl audit                  (running containers only)
#   - docker ps -a -q                    (listing alone, the floor)
#   - docker inspect of every container  (what seed 001's script does per container)
# and checks the audit's answer (every container listed once and compliant, every running one
# with its spec evaluated). Prints the machine it ran on.
#
# Usage (root): bench/audit_bench.sh [BUILD_DIR] [ROUNDS]   (env: CONTAINERS=500 RUNNING=100
#               WORKERS=4; VERIFIEDCTL / VERIFIED_RUNTIME override the binaries of BUILD_DIR)
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../build}" && pwd)
export VERIFIEDCTL=${VERIFIEDCTL:-$BUILD/ctl/verifiedctl}
export VERIFIED_RUNTIME=${VERIFIED_RUNTIME:-$BUILD/shim/verified-runtime}
CONTAINERS=${CONTAINERS:-500}
RUNNING=${RUNNING:-100}
ROUNDS=${2:-${ROUNDS:-7}}
WORKERS=${WORKERS:-4}
source "$HERE/../tests/e2e/lib.sh"
e2e_init
e2e_start_docker
SOCK=${DOCKER_HOST#unix://}

api_post() { curl -sf --unix-socket "$SOCK" -H 'Content-Type: application/json' -d "$2" "http://localhost$1"; }

now_ns() { date +%s%N; }
# median_ms CMD...: runs CMD ROUNDS times (output discarded), prints the median in ms. Every
# run must exit 0 (the audit's exit 0 = every container compliant): a failed run is no
# measurement, so the first one prints its status and output on stderr and returns 1 (the
# caller aborts: `x=$(median_ms ...) || e2e_abort ...`).
median_ms() {
  local times=() t0 t1 i rc out
  for ((i = 0; i < ROUNDS; i++)); do
    t0=$(now_ns)
    "$@" > "$E2E_DIR/median.out" 2>&1
    rc=$?
    t1=$(now_ns)
    if [[ $rc -ne 0 ]]; then
      out=$(tail -c 2000 "$E2E_DIR/median.out")
      echo "FAIL: '$*' exited $rc in round $((i + 1)) of $ROUNDS: $out" >&2
      return 1
    fi
    times+=($(( (t1 - t0) / 1000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", a[int((NR+1)/2)]/1000}'
}

echo "--- setup: $CONTAINERS containers, $RUNNING running (sleep in busybox) under verified"
# No HEALTHCHECK: dockerd would exec one in each of the running containers every 30 s.
e2e_build_image bench:1 'USER 1000' 'LABEL maintainer=bench'
vctl register bench:1 > /dev/null || fail "register"
vctl policy allow bench --require registered --require non_root --require no_latest > /dev/null
vctl policy baseline protect_host > /dev/null
body='{"Image":"bench:1","Cmd":["sleep","100000"],"HostConfig":{"NetworkMode":"none","Runtime":"verified"}}'
t0=$(now_ns)
for ((i = 0; i < CONTAINERS; i++)); do
  id=$(api_post /containers/create "$body" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Id"])') \
    || { fail "create $i"; break; }
  if ((i < RUNNING)); then api_post "/containers/$id/start" '{}' > /dev/null || fail "start $i"; fi
done
echo "setup took $(( ($(now_ns) - t0) / 1000000 )) ms"
[[ $E2E_FAILED -eq 0 ]] || exit 1

echo "--- correctness"
vctl audit --all --format json --engine docker --workers "$WORKERS" > "$E2E_DIR/audit.json"
rc=$?
python3 - "$E2E_DIR/audit.json" "$CONTAINERS" "$RUNNING" "$rc" <<'PY' || fail "audit answer"
import json, sys
j = json.load(open(sys.argv[1]))
n, running, rc = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rows = j["containers"]
ids = {r["container"] for r in rows}
spec = sum(1 for r in rows if r["spec_evaluated"])
ok = sum(1 for r in rows if r["compliant"])
print(f"listed {len(rows)} ({len(ids)} distinct), compliant {ok}, running with spec evaluated {spec}, exit {rc}")
assert len(rows) == n and len(ids) == n, "every container listed once"
assert ok == n and rc == 0, "every container compliant"
assert spec == running, "every running container's spec evaluated"
PY

echo "--- timings (median of $ROUNDS runs, ms)"
all_ms=$(median_ms vctl audit --all --engine docker --workers "$WORKERS") || e2e_abort "timing audit --all"
run_ms=$(median_ms vctl audit --engine docker --workers "$WORKERS") || e2e_abort "timing audit"
json_ms=$(median_ms vctl audit --all --engine docker --format json --workers "$WORKERS") \
  || e2e_abort "timing audit --all --format json"
one_ms=$(median_ms vctl audit --all --engine docker --workers 1) || e2e_abort "timing --workers 1"
ps_ms=$(median_ms d ps -a -q --no-trunc) || e2e_abort "timing docker ps"
ids=$(d ps -aq --no-trunc)
inspect_ms=$(median_ms d inspect $ids) || e2e_abort "timing docker inspect"
printf '%-52s %8s\n' "verifiedctl audit --all ($CONTAINERS containers)" "$all_ms"
printf '%-52s %8s\n' "verifiedctl audit --all --format json" "$json_ms"
printf '%-52s %8s\n' "verifiedctl audit --all --workers 1" "$one_ms"
printf '%-52s %8s\n' "verifiedctl audit (the $RUNNING running)" "$run_ms"
printf '%-52s %8s\n' "docker ps -a -q (listing only)" "$ps_ms"
printf '%-52s %8s\n' "docker inspect of all $CONTAINERS" "$inspect_ms"
awk -v a="$all_ms" -v p="$ps_ms" -v i="$inspect_ms" 'BEGIN {
  printf "ratio audit --all / docker ps -a:        %.1fx\n", a / p
  printf "ratio audit --all / docker inspect all:  %.2fx\n", a / i
  printf "per container (audit --all):             %.2f ms\n", a / '"$CONTAINERS"'
}'
awk -v a="$all_ms" 'BEGIN { exit !(a < 1000) }' && pass "audit of $CONTAINERS containers under 1 s" \
  || fail "audit of $CONTAINERS containers took $all_ms ms (>= 1 s)"

echo "--- machine"
echo "nproc: $(nproc)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "memory: $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
echo "kernel: $(uname -r)"
echo "load average (1/5/15 min) after the timings: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dockerd: $(d version --format '{{.Server.Version}}' 2>/dev/null), storage overlay2, runc $(runc --version | head -1 | awk '{print $3}')"
