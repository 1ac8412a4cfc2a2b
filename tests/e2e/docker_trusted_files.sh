#!/bin/bash
# Issue 10, files the runtime trusts: a registration record allows containers exactly as
# policy.json does, so it (and the images/ directories) must be root-owned, not group- or
# world-writable and not a symlink, or the create is refused naming the file and the fix.
# runtime.json names the runc every command runs: an untrusted, symlinked or malformed one
# fails every command, passthrough included, instead of falling back to `runc` from PATH.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")

e2e_log "build and register app:1; allow app with the registered requirement"
e2e_build_image app:1
expect_ok vctl register app:1
expect_ok vctl policy allow app --require registered
record="$CFG/images/by-name/$(printf %s docker.io/library/app:1 | sha256sum | cut -c1-64).json"
[[ -f $record ]] && pass "registration record at $record" || e2e_abort "no record at $record"

e2e_log "positive control: the registered image runs"
expect_ok "${RUN[@]}" app:1 touch /canary/trusted
expect_file "$E2E_DIR/canary/trusted"

e2e_log "a group-writable registration record"
chmod 664 "$record"
expect_fail "${RUN[@]}" app:1 touch /canary/group-writable
expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image app:1"
expect_contains "$LAST_OUT" "$record is writable by its group; fix with: chmod go-w $record"
expect_no_file "$E2E_DIR/canary/group-writable"
chmod 644 "$record"

e2e_log "a registration record owned by another user"
chown 4321:4321 "$record"
expect_fail "${RUN[@]}" app:1 touch /canary/foreign-owner
expect_contains "$LAST_OUT" "$record is owned by uid 4321; fix with: chown root $record"
expect_no_file "$E2E_DIR/canary/foreign-owner"
chown 0:0 "$record"

e2e_log "a registration record replaced by a symlink"
mv "$record" "$E2E_DIR/record.json"
ln -s "$E2E_DIR/record.json" "$record"
expect_fail "${RUN[@]}" app:1 touch /canary/symlink
expect_contains "$LAST_OUT" "$record is a symlink"
expect_no_file "$E2E_DIR/canary/symlink"
rm "$record"
mv "$E2E_DIR/record.json" "$record"

e2e_log "a world-writable registration directory"
chmod 777 "$CFG/images/by-name"
expect_fail "${RUN[@]}" app:1 touch /canary/writable-dir
expect_contains "$LAST_OUT" "$CFG/images/by-name is writable by everyone"
expect_no_file "$E2E_DIR/canary/writable-dir"
chmod 755 "$CFG/images/by-name"

e2e_log "restored: runs again"
expect_ok "${RUN[@]}" app:1 touch /canary/restored
expect_file "$E2E_DIR/canary/restored"

RT=("$VERIFIED_RUNTIME" --config-dir "$CFG" --root "$E2E_DIR/runc-root" list)
mkdir -p "$E2E_DIR/runc-root"
e2e_log "passthrough with a trusted runtime.json runs runc"
expect_ok "${RT[@]}"
expect_contains "$LAST_OUT" "ID" "runc list"

e2e_log "a world-writable runtime.json fails passthrough, naming the file"
chmod 666 "$CFG/runtime.json"
expect_fail "${RT[@]}"
expect_contains "$LAST_OUT" "$CFG/runtime.json is writable by everyone; fix with: chmod go-w $CFG/runtime.json"
expect_contains "$LAST_OUT" "not falling back to runc from PATH"
expect_not_contains "$LAST_OUT" "PID" "output (runc list never ran)"
"${RT[@]}" > /dev/null 2>&1
rc=$?
[[ $rc -eq 1 ]] && pass "exit code 1" || fail "exit code $rc, not 1"
expect_fail "${RUN[@]}" app:1 touch /canary/untrusted-runtime-json
expect_contains "$LAST_OUT" "writable by everyone"
expect_no_file "$E2E_DIR/canary/untrusted-runtime-json"
chmod 644 "$CFG/runtime.json"

e2e_log "a symlinked or malformed runtime.json fails passthrough too"
cp "$CFG/runtime.json" "$E2E_DIR/runtime.json.good"
ln -sf "$E2E_DIR/runtime.json.good" "$CFG/runtime.json"
expect_fail "${RT[@]}"
expect_contains "$LAST_OUT" "$CFG/runtime.json is a symlink"
rm "$CFG/runtime.json"
echo '{"runc": ' > "$CFG/runtime.json"
expect_fail "${RT[@]}"
expect_contains "$LAST_OUT" "runtime.json"
expect_contains "$LAST_OUT" "not falling back to runc from PATH"
cp "$E2E_DIR/runtime.json.good" "$CFG/runtime.json"
chmod 644 "$CFG/runtime.json"
expect_ok "${RT[@]}"
