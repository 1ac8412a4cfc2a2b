#!/bin/bash
# One command on a fresh machine: install dependencies, build, install verified into
# /usr/local, and show the main job on a private Docker daemon (no network, nothing of the
# host's own Docker touched): a registered image runs; the same tag rebuilt is refused with
# the message `docker run` prints, and its process never runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cmake --install build --prefix /usr/local > /dev/null
echo "installed: $(command -v verified-runtime) $(command -v verifiedctl)"

export VERIFIED_RUNTIME=/usr/local/bin/verified-runtime VERIFIEDCTL=/usr/local/bin/verifiedctl
set +e
source tests/e2e/lib.sh
e2e_init
say() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { say "$*"; "$@"; }

e2e_start_docker   # private dockerd + containerd under $E2E_DIR, daemon.json via verifiedctl install
echo "private dockerd at $DOCKER_HOST with runtime 'verified' (config dir $CFG)"
e2e_build_image pythonapp:latest

run vctl register pythonapp:latest
run vctl policy allow pythonapp --require registered
run vctl policy show
run d run --rm --network=none --runtime=verified pythonapp:latest

say "# the seed's tamper: rebuild the same tag with one extra RUN line"
ctx=$(mktemp -d "$E2E_DIR/tamper.XXXXXX")
printf 'FROM pythonapp:latest\nRUN echo "tamper test" >> /tamper.txt\n' > "$ctx/Dockerfile"
d build -q -t pythonapp:latest "$ctx"
run d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary" pythonapp:latest \
  sh -c 'touch /canary/ran; echo tampered code running'
echo "(exit status $?)"
if [[ -e "$E2E_DIR/canary/ran" ]]; then echo "DEMO FAILED: the tampered container ran"; exit 1; fi
echo "the refused container never ran: no canary file was written"
run vctl check pythonapp:latest
say "tail -1 decisions.log"
tail -1 "$E2E_DIR/decisions.log"
echo
