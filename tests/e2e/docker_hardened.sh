#!/bin/bash
# `verifiedctl install docker --hardened`: the host's runc itself is diverted to
# verified-runtime, so `docker run --runtime=runc` is enforced too; uninstall restores runc.
#
# The test runs in a private mount namespace where /usr/sbin, /usr/bin and /var/lib/dpkg are
# copy-on-write overlays: the diversion is real (dpkg-divert, the same binaries) but invisible
# to the rest of the machine, and it vanishes with the namespace whatever happens.
source "$(dirname "$0")/hardened_lib.sh"
RUNC_REAL=$(readlink -f "$(command -v runc)")
RUNC_SUM=$(sha256sum "$RUNC_REAL" | cut -d' ' -f1)

# The engines call plain `runc`; it reads its config dir from their environment.
export VERIFIED_CONFIG_DIR="$CFG"
e2e_start_docker
e2e_build_image app:1
e2e_build_image other:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered

expect_ok vctl install docker --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME" --default-runtime --hardened
expect_contains "$LAST_OUT" "hardened: $RUNC_REAL diverted to $RUNC_REAL.verified-real"
[[ -L "$RUNC_REAL" ]] && pass "$RUNC_REAL is now a link to verified-runtime" || fail "$RUNC_REAL not replaced"
grep -q "verified-real" "$CFG/runtime.json" && pass "runtime.json records the real runc" || fail "runtime.json lacks runc"
e2e_reload_docker

e2e_log "--runtime=runc is enforced now"
expect_ok d run --rm --network=none --runtime=runc app:1 echo runc-registered-ok
expect_contains "$LAST_OUT" "runc-registered-ok"
expect_fail d run --rm --network=none --runtime=runc -v "$E2E_DIR/canary:/canary" other:1 touch /canary/ran
expect_contains "$LAST_OUT" "verified: refused image other:1"
expect_no_file "$E2E_DIR/canary/ran"
expect_fail d run --rm --network=none -v "$E2E_DIR/canary:/canary" other:1 touch /canary/ran
expect_contains "$LAST_OUT" "verified: refused image other:1"
expect_ok runc --version
expect_contains "$LAST_OUT" "runc version"

e2e_log "uninstall restores the original runc"
expect_ok vctl uninstall docker --daemon-json "$E2E_DIR/daemon.json"
[[ ! -L "$RUNC_REAL" && -x "$RUNC_REAL" ]] && pass "$RUNC_REAL is a regular file again" || fail "$RUNC_REAL not restored"
[[ $(sha256sum "$RUNC_REAL" | cut -d' ' -f1) == "$RUNC_SUM" ]] && pass "runc bytes unchanged" || fail "runc differs"
dpkg-divert --list | grep -q verified-real && fail "diversion left behind" || pass "no diversion left"
e2e_reload_docker
expect_ok d run --rm --network=none --runtime=runc other:1 echo runc-again
