#!/bin/bash
# Load (issue 14 §4): VERIFIED_LOAD_N containers (default 200) created concurrently, at most
# VERIFIED_LOAD_P at a time (default 20), through a private dockerd with the runtime
# (--network=none), while verifiedctl register/unregister and policy allow/deny run in loops
# (tests/e2e/load_lib.sh). Then tests/e2e/load_check.py checks every decision-log line against
# the policy and registration state it names: none lost or torn, one per container docker
# created, each verdict the one its state gives, never an allow made of a policy and a
# registration that did not hold together, canaries exactly for the allowed containers.
# Prints the wall time and the decision-time percentiles under load.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/load_lib.sh"
N=${VERIFIED_LOAD_N:-200}
P=${VERIFIED_LOAD_P:-20}
e2e_init
e2e_need python3 xargs sha256sum
START=$SECONDS
e2e_start_docker
load_setup
[[ $E2E_FAILED -eq 0 ]] || e2e_abort "setup failed"
e2e_log "$N containers, $P at a time, while the policy and registrations change"
load_run "$N" "$P"
e2e_log "load: $N runs in $LOAD_WALL_MS ms; admin cycles $(cat "$LOAD_STATES/admin.cycles"), register cycles $(cat "$LOAD_STATES/register.cycles")"
/usr/bin/python3 "$(dirname "$0")/load_check.py" "$E2E_DIR" "$N" || fail "load check (above)"
e2e_log "wall time of the test: $((SECONDS - START)) s"
