#!/bin/bash
# BuildKit (`DOCKER_BUILDKIT=1 docker build`) on a hardened host: dockerd's builder execs the
# host's `runc` itself for every RUN step, so only the diverted runc (verified-runtime) sees
# them. A step is allowed when the bottom layers of its overlay rootfs are exactly the chain
# of an image the policy allows (the build's base); a FROM of a refused image is refused at its
# first RUN, naming the base, and nothing of that RUN executes.
#
# Canary: BuildKit RUN steps cannot bind host paths, so the refused step writes into a
# persistent build cache mount (`RUN --mount=type=cache`), which outlives failed builds in
# <data-root>/overlay2; an allowed build writing a sibling file proves the canary is visible.
# Like docker_hardened.sh, runc is diverted inside a private mount namespace only.
source "$(dirname "$0")/hardened_lib.sh"

export VERIFIED_CONFIG_DIR="$CFG"
e2e_start_docker
DOCKER_BUILDKIT=0 e2e_build_image base:1
DOCKER_BUILDKIT=0 e2e_build_image bad:1
expect_ok vctl register base:1
expect_ok vctl policy allow base --require registered
expect_ok vctl install docker --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME" --default-runtime --hardened
e2e_reload_docker

# bk_build NAME FROM RUN-LINES...: a BuildKit build, offline (the private dockerd has no
# bridge: RUN steps need --network=none), plain progress so RUN output is visible.
bk_build() {
  local name=$1 from=$2; shift 2
  local ctx="$E2E_DIR/bk-$name"
  mkdir -p "$ctx"
  { echo "FROM $from"; local l; for l in "$@"; do echo "$l"; done; } > "$ctx/Dockerfile"
  DOCKER_BUILDKIT=1 d build --network=none --progress=plain -t "$name" "$ctx"
}

# Files a RUN step wrote into build cache mounts and snapshots (all under overlay2).
cache_has() { find "$DOCKER_DATA/overlay2" -name "$1" 2> /dev/null | grep -q .; }

e2e_log "a build FROM an allowed base: both RUN steps run, the second on the first's layer"
expect_ok bk_build built:1 base:1 \
  'RUN --mount=type=cache,id=canary,target=/c echo one > /one && touch /c/canary-good-ran' \
  'RUN cat /one > /two && echo SECOND-RAN-$((6*7)) && cat /two'
expect_contains "$LAST_OUT" "SECOND-RAN-42" "build output"
cache_has canary-good-ran && pass "an allowed RUN's cache-mount file is visible under overlay2" \
  || fail "the canary method cannot see a file an allowed RUN wrote"
grep -c '"engine":"docker-buildkit"' "$E2E_DIR/decisions.log" | grep -qx 2 \
  && pass "two build steps decided as docker-buildkit" || fail "decision log: $(tail -3 "$E2E_DIR/decisions.log")"
grep '"engine":"docker-buildkit"' "$E2E_DIR/decisions.log" | grep -q '"image":"base:1"' \
  && pass "the steps were attributed to base:1" || fail "base:1 not named in the decision log"

e2e_log "the image BuildKit built runs once registered (its layer dirs carry BuildKit ids)"
expect_ok vctl register built:1
expect_ok vctl policy allow built --require registered
expect_ok d run --rm --network=none built:1 cat /two
expect_contains "$LAST_OUT" "one" "built:1 /two"

e2e_log "a build FROM a refused base: refused at its first RUN, naming the base"
expect_fail bk_build evil:1 bad:1 \
  'RUN --mount=type=cache,id=canary,target=/c touch /c/canary-bad-ran && echo BAD-RAN-$((6*7))'
expect_contains "$LAST_OUT" "verified: refused image bad:1" "build output"
e2e_log "$(grep -m1 'verified: refused' <<< "$LAST_OUT")"
expect_not_contains "$LAST_OUT" "BAD-RAN-42" "build output"
cache_has canary-bad-ran && fail "the refused RUN wrote its canary: it ran" \
  || pass "no canary-bad-ran under overlay2: the refused RUN never ran"
d image inspect evil:1 > /dev/null 2>&1 && fail "evil:1 was built" || pass "no evil:1 image"

e2e_log "a FROM scratch build has no base to prove: refused"
mkdir -p "$E2E_DIR/bk-scratch/root/bin"
cp /bin/busybox "$E2E_DIR/bk-scratch/root/bin/busybox"
printf 'FROM scratch\nCOPY root/ /\nRUN ["/bin/busybox","sh","-c","echo SCRATCH-RAN-$((6*7))"]\n' \
  > "$E2E_DIR/bk-scratch/Dockerfile"
expect_fail env DOCKER_BUILDKIT=1 "$DOCKER_CLI" build --network=none --progress=plain "$E2E_DIR/bk-scratch"
expect_contains "$LAST_OUT" "verified: refused" "build output"
expect_contains "$LAST_OUT" "FROM scratch" "build output"
e2e_log "$(grep -m1 'verified: refused' <<< "$LAST_OUT")"
expect_not_contains "$LAST_OUT" "SCRATCH-RAN-42" "build output"

e2e_log "the legacy builder's RUN containers go through the runtime as before"
mkdir -p "$E2E_DIR/legacy"
printf 'FROM bad:1\nRUN echo LEGACY-RAN-$((6*7))\n' > "$E2E_DIR/legacy/Dockerfile"
expect_fail env DOCKER_BUILDKIT=0 "$DOCKER_CLI" build --network=none "$E2E_DIR/legacy"
expect_contains "$LAST_OUT" "verified: refused image" "legacy build output"
e2e_log "$(grep -m1 'verified: refused' <<< "$LAST_OUT")"
expect_not_contains "$LAST_OUT" "LEGACY-RAN-42" "legacy build output"
