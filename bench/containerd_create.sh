#!/bin/bash
# Create decision time under containerd, against bare runc measured in the same run.
#
#   bench/containerd_create.sh [BUILD_DIR] [ROUNDS]      (root; containerd, ctr, runc, umoci,
#                                                         busybox, jq; no network)
# Starts a private containerd, imports an offline image, registers it and allows it with
# `--require registered`, creates a container record and builds its task bundle exactly as
# containerd-shim-runc-v2 does (bundle under <state>/io.containerd.runtime.v2.task/<ns>/<id>,
# work link into the root, config.json, the snapshot's overlay mounted at rootfs). Then it
# times `runc create` + untimed `runc delete` against `verified-runtime create` (full decision:
# policy, spec, mountinfo, meta.db + metadata.db without their lock, content blobs hashed,
# lowerdirs checked, registration) + `runc delete`, alternating, and reports medians; also the
# median decision time the decision log recorded.
BUILD=$(cd "${1:-build}" && pwd)
ROUNDS=${2:-40}
SRC=$(cd "$(dirname "$0")/.." && pwd)
VR="$BUILD/shim/verified-runtime"
VCTL="$BUILD/ctl/verifiedctl"
TIMER="$BUILD/bench/bench_exec_timer"
for b in "$VR" "$VCTL" "$TIMER"; do [[ -x "$b" ]] || { echo "build first: $b" >&2; exit 2; }; done
for b in containerd ctr runc umoci busybox jq; do
  command -v "$b" > /dev/null || { echo "missing $b" >&2; exit 2; }
done
export VERIFIED_RUNTIME="$VR" VERIFIEDCTL="$VCTL"
source "$SRC/tests/e2e/lib.sh"   # private engines, stopped and cleaned up at exit
source "$SRC/tests/e2e/oci_image.sh"
RUNC=$(command -v runc)

e2e_init
set -e
D="$E2E_DIR/ctd"
printf '{"decision_log": "%s/decisions.log", "runc": "%s"}\n' "$D" "$RUNC" > "$CFG/runtime.json"
e2e_start_containerd "$D"
C=(ctr --address "$D/c.sock")
export CONTAINERD_ADDRESS="$D/c.sock"

oci_image "$D/oci" 1 > /dev/null
oci_archive "$D/oci" "$D/app.tar"
"${C[@]}" images import --base-name docker.io/library/app "$D/app.tar" > /dev/null
"$VCTL" --config-dir "$CFG" register app:1 --engine containerd > /dev/null
"$VCTL" --config-dir "$CFG" policy allow app --require registered > /dev/null
"${C[@]}" containers create docker.io/library/app:1 bench > /dev/null

# The task bundle, as the shim builds it (containerd core/runtime/v2/bundle.go).
B="$D/state/io.containerd.runtime.v2.task/default/bench"
mkdir -p "$B/rootfs" "$D/root/io.containerd.runtime.v2.task/default/bench"
ln -s "$D/root/io.containerd.runtime.v2.task/default/bench" "$B/work"
"${C[@]}" containers info --spec bench > "$B/config.json"
eval "$("${C[@]}" snapshots mounts "$B/rootfs" bench)"

R="$D/runc-root"
COMMON=(--root "$R" --log "$B/log.json" --log-format json)
export VERIFIED_CONFIG_DIR="$CFG"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
echo "containerd $(containerd --version | awk '{print $3}'), runc $(runc --version | awk 'NR==1 {print $3}')"
echo "create on a containerd task bundle (overlay rootfs, 2 layers), $ROUNDS rounds each:"
"$TIMER" "$ROUNDS" \
  runc "$RUNC" "${COMMON[@]}" create --bundle "$B" bench -- "$RUNC" --root "$R" delete -f bench -- \
  verified "$VR" "${COMMON[@]}" create --bundle "$B" bench -- "$RUNC" --root "$R" delete -f bench
# The same decision with `true` standing in for runc: what verified adds, without runc's own
# (much larger, noisier) create time.
CFG2="$D/cfg-true"
cp -a "$CFG" "$CFG2"
printf '{"decision_log": "%s/decisions.log", "runc": "/bin/true"}\n' "$D" > "$CFG2/runtime.json"
echo "the decision alone (runc replaced by /bin/true), $ROUNDS rounds each:"
"$TIMER" "$ROUNDS" \
  true /bin/true "${COMMON[@]}" create --bundle "$B" bench -- -- \
  verified "$VR" --config-dir "$CFG2" "${COMMON[@]}" create --bundle "$B" bench --
grep -o '"elapsed_us":[0-9]*' "$D/decisions.log" | cut -d: -f2 | sort -n \
  | awk '{v[NR] = $1} END {printf "decision (policy + store + mount + registration): median %.2f ms over %d decisions\n", v[int((NR + 1) / 2)] / 1000, NR}'
grep -q '"verdict":"deny"' "$D/decisions.log" && { echo "unexpected deny in the decision log" >&2; exit 1; }
echo "every decision: allow"
