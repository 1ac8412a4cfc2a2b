#!/bin/bash
# Builds a >= 500 MB, >= 20,000-file, 6-layer image in a private dockerd and runs
# content_bench on it (see bench/content_bench.cpp). Needs root, dockerd, containerd.
#
#   bench/content_bench.sh [BUILD_DIR] [RUNS]
set -euo pipefail
BUILD=$(realpath "${1:-build}")
RUNS=${2:-7}
BIN=$BUILD/bench/content_bench
DOCKER=/usr/bin/docker
[[ -x $BIN ]] || { echo "build first: $BIN missing" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "needs root (private dockerd)" >&2; exit 2; }

W=$(mktemp -d /tmp/content-bench.XXXXXX)
PIDS=()
cleanup() {
  set +e
  for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
    kill "${PIDS[$i]}" 2>/dev/null
    for _ in $(seq 1 100); do kill -0 "${PIDS[$i]}" 2>/dev/null || break; sleep 0.1; done
    kill -9 "${PIDS[$i]}" 2>/dev/null
  done
  awk -v d="$W" '$5 ~ "^"d {print $5}' /proc/self/mountinfo | sort -r | xargs -r -n1 umount -l
  rm -rf "$W"
}
trap cleanup EXIT

mkdir -p "$W/containerd"
cat > "$W/containerd/config.toml" <<TOML
version = 2
root = "$W/containerd/root"
state = "$W/containerd/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$W/containerd/c.sock"
[ttrpc]
  address = "$W/containerd/c.sock.ttrpc"
TOML
containerd --config "$W/containerd/config.toml" > "$W/containerd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 100); do ctr --address "$W/containerd/c.sock" version > /dev/null 2>&1 && break; sleep 0.2; done
echo '{}' > "$W/daemon.json"
dockerd --config-file "$W/daemon.json" --data-root "$W/data" --exec-root "$W/exec" \
  --pidfile "$W/docker.pid" -H "unix://$W/docker.sock" --containerd "$W/containerd/c.sock" \
  --bridge=none --iptables=false --ip-masq=false --storage-driver=overlay2 > "$W/dockerd.log" 2>&1 &
PIDS+=($!)
export DOCKER_HOST="unix://$W/docker.sock"
for _ in $(seq 1 300); do $DOCKER version > /dev/null 2>&1 && break; sleep 0.2; done

echo "generating the image context (6 layers, ~3,400 files and ~86 MB each)..."
python3 - "$W/ctx" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(7)
for layer in range(6):
    base = os.path.join(root, f"l{layer}")
    for d in range(34):
        os.makedirs(os.path.join(base, f"d{d}"), exist_ok=True)
    # 3,360 small files (0.5-8 KiB) and 40 larger ones (~1.9 MiB) per layer.
    for i in range(3360):
        with open(os.path.join(base, f"d{i % 34}", f"f{i}"), "wb") as f:
            f.write(os.urandom(rng.randint(512, 8192)))
    for i in range(40):
        with open(os.path.join(base, f"d{i % 34}", f"big{i}"), "wb") as f:
            f.write(os.urandom(rng.randint(1800, 2000) * 1024))
with open(os.path.join(root, "Dockerfile"), "w") as f:
    f.write("FROM scratch\n")
    for layer in range(6):
        f.write(f"COPY l{layer}/ /l{layer}/\n")
PY
$DOCKER build -q -t content-bench:1 "$W/ctx" > /dev/null
rm -rf "$W/ctx"
ID=$($DOCKER image inspect --format '{{.Id}}' content-bench:1)
sync
"$BIN" --data-root "$W/data" --image "$ID" --docker-host "$DOCKER_HOST" --docker "$DOCKER" --runs "$RUNS"
