#!/bin/bash
# Builds a >= 500 MB, >= 20,000-file, 6-layer image in a private dockerd and runs
# content_bench on it (see bench/content_bench.cpp). Needs root, dockerd, containerd.
#
#   bench/content_bench.sh [BUILD_DIR] [RUNS]
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "${1:-$HERE/../build}" && pwd)
RUNS=${2:-7}
BIN=$BUILD/bench/content_bench
[[ -x $BIN ]] || { echo "build first: $BIN missing" >&2; exit 2; }
export VERIFIED_RUNTIME=$BUILD/shim/verified-runtime VERIFIEDCTL=$BUILD/ctl/verifiedctl
source "$HERE/../tests/e2e/lib.sh"   # private dockerd + containerd, stopped at exit
e2e_init
set -e
e2e_start_docker
DOCKER=$DOCKER_CLI
W=$E2E_DIR

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
"$BIN" --data-root "$DOCKER_DATA" --image "$ID" --docker-host "$DOCKER_HOST" --docker "$DOCKER" --runs "$RUNS"
