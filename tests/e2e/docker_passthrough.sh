#!/bin/bash
# Every subcommand other than create/run/restore goes to runc untouched: the engine's whole
# lifecycle works under --runtime=verified.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

e2e_build_image app:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered

e2e_log "a long-running container under the runtime"
expect_ok d run -d --name c1 --network=none --runtime=verified app:1 sleep 300
expect_contains "$(d inspect --format '{{.HostConfig.Runtime}}' c1)" "verified"

e2e_log "docker exec (runc exec)"
expect_ok d exec c1 sh -c 'echo exec-works'
expect_contains "$LAST_OUT" "exec-works"
expect_ok d exec -u 1000 c1 id -u
expect_contains "$LAST_OUT" "1000"

e2e_log "docker top / stats (runc ps, events --stats)"
expect_ok d top c1
expect_contains "$LAST_OUT" "sleep 300"
expect_ok d stats --no-stream c1

e2e_log "pause / unpause (runc pause, resume)"
expect_ok d pause c1
expect_contains "$(d inspect --format '{{.State.Status}}' c1)" "paused"
expect_ok d unpause c1
expect_contains "$(d inspect --format '{{.State.Status}}' c1)" "running"

e2e_log "update (runc update)"
expect_ok d update --cpu-shares 512 --memory 64m --memory-swap 128m c1
expect_contains "$(d inspect --format '{{.HostConfig.CpuShares}}' c1)" "512"

e2e_log "kill with a signal (runc kill)"
expect_ok d kill -s USR1 c1
sleep 0.5
expect_ok d kill c1
e2e_wait_for 20 sh -c "[ \"\$($DOCKER_CLI inspect --format '{{.State.Running}}' c1)\" = false ]" \
  && pass "killed" || fail "c1 still running after kill"

e2e_log "start again, restart, stop (runc create/start/kill/delete)"
expect_ok d start c1
expect_ok d restart -t 1 c1
expect_contains "$(d inspect --format '{{.State.Running}}' c1)" "true"
expect_ok d stop -t 1 c1
expect_contains "$(d inspect --format '{{.State.Running}}' c1)" "false"

e2e_log "rm -f of a running container (runc kill + delete)"
expect_ok d run -d --name c2 --network=none --runtime=verified app:1 sleep 300
expect_ok d rm -f c2
expect_fail d container inspect c2
expect_contains "$LAST_OUT" "No such container: c2"

e2e_log "every create was decided, and nothing else was"
creates=$(grep -c '"command":"create"' "$E2E_DIR/decisions.log")
[[ $creates -eq 4 ]] && pass "4 create decisions logged (run, start, restart, run)" \
  || fail "expected 4 create decisions, found $creates"

e2e_log "runc subcommands called directly pass through (features, state, list)"
expect_ok "$VERIFIED_RUNTIME" --config-dir "$CFG" features
expect_contains "$LAST_OUT" "ociVersionMin"
expect_ok "$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" list
expect_fail "$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" state nosuch
expect_contains "$LAST_OUT" "container does not exist"
expect_ok "$VERIFIED_RUNTIME" --version
expect_contains "$LAST_OUT" "runc version"
