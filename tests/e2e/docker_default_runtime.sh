#!/bin/bash
# Docker's default-runtime set to verified: plain `docker run` is enforced. (The hardened
# install, which also closes --runtime=runc, is docker_hardened.sh.)
source "$(dirname "$0")/lib.sh"
e2e_init
# Build images while runc is still the default (docker build's RUN uses the default runtime).
e2e_start_docker
e2e_build_image app:1
e2e_build_image other:1

expect_ok vctl install docker --daemon-json "$E2E_DIR/daemon.json" --runtime-path "$VERIFIED_RUNTIME" --default-runtime
expect_contains "$LAST_OUT" "default-runtime is now \"verified\""
expect_contains "$LAST_OUT" "reload dockerd"
ls "$E2E_DIR"/daemon.json.verified-backup-* > /dev/null 2>&1 && pass "daemon.json backed up" || fail "no backup"
e2e_reload_docker
expect_contains "$(d info --format '{{.DefaultRuntime}}')" "verified"

expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered

e2e_log "plain docker run, no --runtime flag"
expect_ok d run --rm --network=none app:1 echo default-ok
expect_contains "$LAST_OUT" "default-ok"
expect_fail d run --rm --network=none -v "$E2E_DIR/canary:/canary" other:1 touch /canary/ran
expect_contains "$LAST_OUT" "verified: refused image other:1"
expect_no_file "$E2E_DIR/canary/ran"

e2e_log "without the hardened install, --runtime=runc is still an open door (documented)"
expect_ok d run --rm --network=none --runtime=runc other:1 echo runc-door-open

e2e_log "uninstall restores the previous default"
expect_ok vctl uninstall docker --daemon-json "$E2E_DIR/daemon.json"
e2e_reload_docker
expect_contains "$(d info --format '{{.DefaultRuntime}}')" "runc"
expect_ok d run --rm --network=none other:1 echo back-to-runc
