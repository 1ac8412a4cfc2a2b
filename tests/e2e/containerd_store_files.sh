#!/bin/bash
# containerd's bbolt files, read without their lock:
#  1. fixtures regenerated right now by the installed containerd (make-fixtures.sh) pass the
#     same reader tests as the checked-in ones (each compares with what `ctr` reports);
#  2. while containerd commits transactions as fast as ctr can drive it (snapshots prepared,
#     committed and removed, images tagged and untagged), every lookup and every create
#     decision gives the one right answer: a racing commit makes the reader retry, never
#     accept a wrong chain.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
e2e_init
e2e_need containerd ctr umoci busybox python3 jq
UNIT=${VERIFIED_UNIT_TESTS:-$(dirname "$VERIFIED_RUNTIME")/../tests/verified_unit_tests}
[[ -x "$UNIT" ]] || e2e_skip "unit test binary not found at $UNIT (set VERIFIED_UNIT_TESTS)"
SRC=$(cd "$(dirname "$0")/../.." && pwd)

e2e_log "1. fixtures from the installed containerd, checked against ctr's own output"
expect_ok "$SRC/tests/fixtures/containerd/make-fixtures.sh" "$E2E_DIR/fixtures"
VERIFIED_CONTAINERD_FIXTURES="$E2E_DIR/fixtures" expect_ok "$UNIT" --gtest_filter='ContainerdFixture.*'
expect_contains "$LAST_OUT" "[  PASSED  ] 6 tests"

e2e_log "2. a containerd committing continuously while the resolver reads"
e2e_start_runtime_containerd
oci_image "$E2E_DIR/oci" 1 app-1 > /dev/null || fail "umoci image"
oci_archive "$E2E_DIR/oci" "$E2E_DIR/app.tar"
expect_ok "${C[@]}" images import --base-name docker.io/library/app "$E2E_DIR/app.tar"
expect_ok vctl register app:1 --engine containerd
expect_ok vctl policy allow app --require registered
want=$(vctl check app:1 --engine containerd --json | jq -r '.provenance.chain_ids[-1]')
[[ $want == sha256:* ]] && pass "top chainID $want" || fail "no chainID: $want"
top=$("${C[@]}" snapshots ls | awk '$3 == "Committed" {print $1; exit}')

writer() {
  local i=0
  while :; do
    i=$((i + 1))
    "${C[@]}" snapshots prepare "w$i" "$top" > /dev/null
    "${C[@]}" snapshots commit "w$i-c" "w$i"
    "${C[@]}" images tag docker.io/library/app:1 "docker.io/library/app:t$i" > /dev/null
    "${C[@]}" snapshots rm "w$i-c"
    "${C[@]}" images rm "docker.io/library/app:t$i" > /dev/null
    # Written then renamed: the writer is killed at an arbitrary point, and a
    # plain `>` could leave the count truncated to nothing.
    echo "$i" > "$E2E_DIR/writer-rounds.tmp" && mv -f "$E2E_DIR/writer-rounds.tmp" "$E2E_DIR/writer-rounds"
  done
}
writer > /dev/null 2>&1 &
WRITER=$!
E2E_PIDS+=("$WRITER")

wrong=0 errors=0 checks=0
for i in $(seq 1 60); do
  out=$(vctl check app:1 --engine containerd --json 2>&1)
  got=$(jq -r '.provenance.chain_ids[-1]' <<< "$out" 2> /dev/null)
  checks=$((checks + 1))
  if [[ -z "$got" || "$got" == null ]]; then errors=$((errors + 1)); echo "error: $out";
  elif [[ "$got" != "$want" ]]; then wrong=$((wrong + 1)); echo "WRONG chain: $got"; fi
done
runs_ok=0
for i in $(seq 1 12); do
  if "${C[@]}" run --rm --runc-binary "$VERIFIED_RUNTIME" docker.io/library/app:1 "busy-$E2E_RUN_ID-$i" \
       echo ran > /dev/null 2>&1; then runs_ok=$((runs_ok + 1)); fi
done
e2e_stop_pid "$WRITER"
rounds=$(cat "$E2E_DIR/writer-rounds" 2> /dev/null)
rounds=${rounds:-0}
echo "writer: $rounds rounds (5 commits each); checks: $checks, wrong: $wrong, errors: $errors; runs allowed: $runs_ok/12"
((rounds > 10)) && pass "containerd committed $((rounds * 5)) times during the reads" || fail "writer made only $rounds rounds"
((wrong == 0)) && pass "no lookup returned a wrong chain" || fail "$wrong lookups returned a wrong chain"
((errors == 0)) && pass "every lookup answered" || fail "$errors lookups failed"
((runs_ok == 12)) && pass "every create decision allowed the registered image" || fail "only $runs_ok/12 runs allowed"
grep -c '"verdict":"allow"' "$E2E_DIR/decisions.log" | grep -q '^12$' && pass "12 allow decisions logged" \
  || fail "decision log: $(grep -c verdict "$E2E_DIR/decisions.log") lines"
