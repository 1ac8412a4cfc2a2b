#!/bin/bash
# The runtime's own log lines in runc's --log file (logrus's json and text formats, which
# engines read back) and runc's --debug: each step of the create decision with its time, so an
# administrator can see why a decision took what it took.
#  1. The runtime alone on a bundle whose rootfs no engine made: with --debug every step of
#     the decision (those after the failing one "not run") and the total are debug lines with
#     times, and the refusal is the last
#     line and the only error; without --debug the refusal is the only line.
#  2. Under containerd (`ctr run --runc-binary`, its shim writes --log log.json --log-format
#     json and never passes --debug itself, so a wrapper adds it): a registered image runs and
#     its log shows all six steps; an unregistered one is refused with the message ctr prints,
#     debug lines notwithstanding, and the canary is never written.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
e2e_init
e2e_need containerd ctr umoci busybox runc jq

TIME_RE='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{9}Z$'
# check_log FILE STEP...: every line is logrus JSON with an RFC 3339 time; the debug lines are
# "decision step STEP: ... (N us)" for exactly the STEPs given, in order, then the total; the
# last line is the only error and is the refusal (when the decision refused).
check_log() {
  local file=$1; shift
  local want="$*" got
  local bad
  if bad=$(jq -c --arg re "$TIME_RE" 'select(((.time | test($re)) and (.level | type == "string")
      and (.msg | type == "string")) | not)' "$file") && [[ -z "$bad" && -s "$file" ]]; then
    pass "$file: every line is logrus JSON with an RFC 3339 nano time"
  else
    fail "$file: not logrus JSON lines (${bad:-unparsable}): $(cat "$file")"
  fi
  got=$(jq -r 'select(.level == "debug" and (.msg | startswith("decision step ")))
      | .msg | capture("^decision step (?<n>[a-z ]+): .* \\((?<us>[0-9]+) us\\)$") | .n' \
      "$file" | tr '\n' ' ')
  [[ "${got% }" == "$want" ]] && pass "debug steps with times: $want" \
    || fail "debug steps '${got% }', want '$want': $(cat "$file")"
  jq -e -s '[.[] | select(.level == "debug" and (.msg | test("^decision total: [0-9]+ us in [0-9]+ steps$")))]
      | length == 1' "$file" > /dev/null && pass "one 'decision total' line" \
    || fail "no 'decision total' line: $(cat "$file")"
}

e2e_log "1. the runtime alone: a bundle whose rootfs no engine store made"
expect_ok vctl policy allow app --require registered
B="$E2E_DIR/bundle"
mkdir -p "$B/rootfs/bin"
printf '{"ociVersion":"1.0.2","root":{"path":"rootfs"},"process":{"args":["/bin/sh","-c","touch %s/canary/direct"],"cwd":"/"}}\n' \
  "$E2E_DIR" > "$B/config.json"
LOG="$E2E_DIR/direct.json"
expect_fail "$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" --log "$LOG" \
  --log-format json --debug create --bundle "$B" "e2e-$E2E_RUN_ID-direct"
expect_contains "$LAST_OUT" "verified: refused container e2e-$E2E_RUN_ID-direct"
expect_not_contains "$LAST_OUT" "decision step" "stderr (with --log, debug lines go to the file)"
check_log "$LOG" policy spec mount store checks namespace joins
[[ $(tail -1 "$LOG" | jq -r .level) == error \
   && $(jq -r 'select(.level == "error") | .msg' "$LOG") == "$LAST_OUT" ]] \
  && pass "the refusal is the last line, the only error, and what stderr says" \
  || fail "refusal line: $(cat "$LOG")"
jq -r 'select(.msg | startswith("decision step policy:")) | .msg' "$LOG" | grep -Eq 'digest sha256:[0-9a-f]{64} \(' \
  && pass "the policy step names the policy digest" || fail "policy step: $(cat "$LOG")"
expect_no_file "$E2E_DIR/canary/direct"

e2e_log "   text format with --debug"
TLOG="$E2E_DIR/direct.txt"
expect_fail "$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" --log "$TLOG" \
  --log-format text --debug create --bundle "$B" "e2e-$E2E_RUN_ID-text"
grep -Eq '^time="[0-9T:.-]+Z" level=debug msg="decision step spec: rootfs [^"]*/bundle/rootfs \([0-9]+ us\)"$' "$TLOG" \
  && pass "text debug line as logrus writes it" || fail "text log: $(cat "$TLOG")"
tail -1 "$TLOG" | grep -Eq '^time="[^"]+" level=error msg="verified: refused container ' \
  && pass "text refusal line last" || fail "text log: $(cat "$TLOG")"

e2e_log "   without --debug the refusal is the only line"
QLOG="$E2E_DIR/quiet.json"
expect_fail "$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" --log "$QLOG" \
  --log-format json create --bundle "$B" "e2e-$E2E_RUN_ID-quiet"
[[ $(wc -l < "$QLOG") -eq 1 && $(jq -r .level "$QLOG") == error ]] \
  && pass "one error line" || fail "quiet log: $(cat "$QLOG")"

e2e_log "2. under containerd: its shim's log.json, --debug added by a wrapper"
e2e_start_runtime_containerd
oci_image "$E2E_DIR/oci" 1 app-1 > /dev/null || e2e_abort "umoci image app"
oci_image "$E2E_DIR/oci-other" 1 other-1 > /dev/null || e2e_abort "umoci image other"
oci_archive "$E2E_DIR/oci" "$E2E_DIR/app.tar"
oci_archive "$E2E_DIR/oci-other" "$E2E_DIR/other.tar"
expect_ok "${C[@]}" images import --base-name docker.io/library/app "$E2E_DIR/app.tar"
expect_ok "${C[@]}" images import --base-name docker.io/library/other "$E2E_DIR/other.tar"
expect_ok vctl register app:1 --engine containerd
# The shim's bundle (and its log.json) is removed with the task: the wrapper keeps a copy of
# the log after each call, and the arguments it was given.
WRAP="$E2E_DIR/debug-runtime"
cat > "$WRAP" <<SH
#!/bin/bash
echo "\$*" >> "$E2E_DIR/shim-args"
log= prev=
for a in "\$@"; do [[ \$prev == --log ]] && log=\$a; prev=\$a; done
"$VERIFIED_RUNTIME" --debug "\$@"
rc=\$?
[[ -n \$log && -f \$log ]] && cp "\$log" "$E2E_DIR/shim-\$(basename "\$(dirname "\$log")").json"
exit \$rc
SH
chmod 755 "$WRAP"
RUN=("${C[@]}" run --rm --runc-binary "$WRAP"
     --mount "type=bind,src=$E2E_DIR/canary,dst=/canary,options=rbind:rw")

id="e2e-$E2E_RUN_ID-registered"
expect_ok "${RUN[@]}" docker.io/library/app:1 "$id" sh -c 'touch /canary/registered; echo hello-from-container'
expect_contains "$LAST_OUT" "hello-from-container"
expect_file "$E2E_DIR/canary/registered"
grep -q -- "--log .*/log.json --log-format json create" "$E2E_DIR/shim-args" \
  && ! grep -q -- "--debug" "$E2E_DIR/shim-args" \
  && pass "the shim passes --log log.json --log-format json, never --debug" \
  || fail "shim args: $(cat "$E2E_DIR/shim-args")"
[[ -f "$E2E_DIR/shim-$id.json" ]] || fail "no log.json copy for $id"
# runc itself (given --debug too) appends its own lines: take ours.
jq -c 'select(.msg | startswith("decision "))' "$E2E_DIR/shim-$id.json" > "$E2E_DIR/ours-$id.json"
check_log "$E2E_DIR/ours-$id.json" policy spec mount store checks namespace joins
jq -r '.msg' "$E2E_DIR/ours-$id.json" | sed 's/^/    /'
jq -r 'select(.msg | startswith("decision step store:")) | .msg' "$E2E_DIR/shim-$id.json" \
  | grep -Eq '^decision step store: containerd image sha256:[0-9a-f]{64} \(' \
  && pass "the store step names the engine and the image id" || fail "store step: $(cat "$E2E_DIR/shim-$id.json")"
jq -r 'select(.msg | startswith("decision step checks:")) | .msg' "$E2E_DIR/shim-$id.json" \
  | grep -q "^decision step checks: rule 1 .*: allow (" \
  && pass "the checks step names the rule and the outcome" || fail "checks step: $(cat "$E2E_DIR/shim-$id.json")"

id="e2e-$E2E_RUN_ID-unregistered"
expect_fail "${RUN[@]}" docker.io/library/other:1 "$id" sh -c 'touch /canary/unregistered'
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image docker.io/library/other:1"
expect_not_contains "$LAST_OUT" "decision step"
expect_no_file "$E2E_DIR/canary/unregistered"
check_log "$E2E_DIR/shim-$id.json" policy spec mount store checks namespace joins
[[ $(tail -1 "$E2E_DIR/shim-$id.json" | jq -r '.level + " " + .msg') == "error verified: refused image docker.io/library/other:1"* ]] \
  && pass "the refusal is the last line of the shim's log.json" || fail "log.json: $(cat "$E2E_DIR/shim-$id.json")"
