#!/bin/bash
# 100 concurrent `verifiedctl register` calls lose nothing, and containers created meanwhile
# never see a half-written registration or policy (writers replace files atomically).
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker
e2e_build_image app:base
expect_ok vctl register app:base
expect_ok vctl policy allow 'app' --require registered
for i in $(seq 1 100); do d tag app:base "app:t$i"; done

# Containers started while registrations race: each must be decided on a whole file.
( for i in $(seq 1 10); do
    d run --rm --network=none --runtime=verified app:base true > /dev/null 2>&1 || echo "run $i failed"
  done ) > "$E2E_DIR/runs.out" &
runner=$!
pids=()
for i in $(seq 1 100); do
  vctl register "app:t$i" > "$E2E_DIR/reg.$i.out" 2>&1 &
  pids+=($!)
done
failed=0
for p in "${pids[@]}"; do wait "$p" || failed=$((failed + 1)); done
wait $runner
[[ $failed -eq 0 ]] && pass "100 concurrent registers succeeded" || fail "$failed registers failed: $(cat "$E2E_DIR"/reg.*.out | grep -v registered | head -5)"
count=$(vctl list --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[[ $count -eq 101 ]] && pass "all 101 registrations present" || fail "expected 101 registrations, found $count"
[[ ! -s "$E2E_DIR/runs.out" ]] && pass "every container created during the race ran" || fail "$(cat "$E2E_DIR/runs.out")"
ls "$CFG/images/by-name" | grep -q '\.tmp\.' && fail "temp files left behind" || pass "no temp files left"
expect_ok d run --rm --network=none --runtime=verified app:t57 echo t57-ok
