#!/bin/bash
# Issue 10, part 2 under Podman (containers/storage): `podman tag` adds a name to the image's
# images.json record; a deny rule on any of its names refuses it, in any spelling of the
# registry host. Every refused container would touch /canary/NAME; none may.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
RUN=(pm_verified run --rm --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary")
run_canary() { "${RUN[@]}" "$2" sh -c "touch /canary/$1; echo ran-$1"; }

e2e_log "images: localhost/evil/tool:1 re-tagged fine/tool:1, and an innocent one"
pm_build evil/tool:1
expect_ok pm tag evil/tool:1 fine/tool:1
pm_build innocent:1

e2e_log "policy: default allow, deny LOCALHOST/evil/* (host written in capitals)"
expect_ok vctl policy default allow
expect_ok vctl policy deny 'LOCALHOST/evil/*'
expect_fail run_canary retag fine/tool:1
expect_contains "$LAST_OUT" "verified: refused image localhost/fine/tool:1"
expect_contains "$LAST_OUT" "also tagged localhost/evil/tool:1, which matches deny rule 1 'LOCALHOST/evil/*'"
expect_no_file "$E2E_DIR/canary/retag"
echo "podman shows: $(grep -m1 'Error:' <<< "$LAST_OUT")"
expect_ok run_canary innocent innocent:1
expect_contains "$LAST_OUT" "ran-innocent"
expect_file "$E2E_DIR/canary/innocent"
