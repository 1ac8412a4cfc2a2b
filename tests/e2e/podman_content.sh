#!/bin/bash
# Podman 4.3 (containers/storage overlay, tar-split at overlay-layers/<id>.tar-split.gz) with
# "content": the bytes in the image's layer directories are verified on every create, as
# docker_content.sh does for Docker. One byte changed in a lower layer's file is refused naming
# the layer and the file; restored, the image runs again. Added, removed, re-moded and
# symlink-replaced files are refused in both "full" and "cached" modes.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"

RUN=(pm_verified run --rm --network=none "${ULIMITS[@]}" -v "$E2E_DIR/canary:/canary")
REFUSED="Error: OCI runtime error: $VERIFIED_RUNTIME: verified: refused image localhost/app:1"

e2e_log "build app:1 (four layers: busybox, /etc/image-stamp, /opt/app, top) and allow it with content: full"
# RUN steps run under runc (buildah's default crun refuses this host's hybrid cgroups) with
# this machine's ulimits.
PM_BUILD_FLAGS=(--runtime runc "${ULIMITS[@]}")
pm_build app:1 \
  'RUN mkdir -p /opt/app && echo "config v1" > /opt/app/config && echo data > /opt/app/data && ln -s config /opt/app/current && chmod 640 /opt/app/data' \
  'RUN echo top > /opt/app/top && rm /etc/image-stamp'
expect_ok vctl policy allow localhost/app --content full
expect_ok vctl policy lint

# Layer directories, bottom first (GraphDriver.Data.LowerDir lists the lower layers top first).
upper=$(pm image inspect app:1 --format '{{.GraphDriver.Data.UpperDir}}')
IFS=: read -r -a lowers <<< "$(pm image inspect app:1 --format '{{.GraphDriver.Data.LowerDir}}')"
mapfile -t DIFF_IDS < <(pm image inspect app:1 --format '{{range .RootFS.Layers}}{{println .}}{{end}}' | sed '/^$/d')
[[ ${#lowers[@]} -eq 3 && ${#DIFF_IDS[@]} -eq 4 ]] \
  || { fail "expected 4 layers: lowers=${lowers[*]} diffIDs=${DIFF_IDS[*]}"; exit 1; }
BASE=${lowers[1]}   # layer 2: /etc/image-stamp
MID=${lowers[0]}    # layer 3: /opt/app
[[ -f "$BASE/etc/image-stamp" && -f "$MID/opt/app/config" && -d "$upper" ]] \
  || { fail "unexpected layer layout: $BASE $MID $upper"; exit 1; }
[[ $BASE == "$PR/root/overlay/"*/diff ]] && pass "layer directories are containers/storage's" \
  || fail "layer directory $BASE is not under $PR/root/overlay"
ls "$PR"/root/overlay-layers/*.tar-split.gz > /dev/null 2>&1 && pass "containers/storage keeps tar-split" \
  || fail "no tar-split files in $PR/root/overlay-layers"

run_ok() {  # run_ok NAME: the container runs and writes its canary
  expect_ok "${RUN[@]}" app:1 sh -c "touch /canary/$1; echo ran-$1"
  expect_contains "$LAST_OUT" "ran-$1"
  expect_file "$E2E_DIR/canary/$1"
}
run_refused() {  # run_refused NAME NEEDLE...: refused before the container ran
  local name=$1; shift
  local rc=0
  LAST_OUT=$("${RUN[@]}" app:1 sh -c "touch /canary/$name" 2>&1) || rc=$?
  [[ $rc -eq 126 ]] && pass "podman run exits 126 on a refusal" || fail "podman run exit code $rc (want 126): $LAST_OUT"
  expect_contains "$LAST_OUT" "$REFUSED"
  local n
  for n in "$@"; do expect_contains "$LAST_OUT" "$n"; done
  expect_no_file "$E2E_DIR/canary/$name"
}

e2e_log "an untouched image runs (every layer reassembles to its diffID from tar-split)"
run_ok clean
expect_ok pvctl check app:1
expect_contains "$LAST_OUT" "4 layers match their diffIDs"
tail -1 "$E2E_DIR/decisions.log" | grep -q '"engine":"containers-storage-overlay".*"verdict":"allow"' \
  && pass "decision log: allowed, proven from containers/storage" \
  || fail "decision log: $(tail -1 "$E2E_DIR/decisions.log")"

e2e_log "one byte of one file in a lower layer changed, mtime restored: refused, naming layer and file"
cp -a "$BASE/etc/image-stamp" "$E2E_DIR/image-stamp.orig"
printf 'X' | dd of="$BASE/etc/image-stamp" bs=1 seek=0 conv=notrunc status=none
touch -r "$E2E_DIR/image-stamp.orig" "$BASE/etc/image-stamp"
run_refused byte "requires content: layer 2 of 4 (diffID ${DIFF_IDS[1]}" "$BASE" \
  "etc/image-stamp content differs"
echo "podman shows: $(grep -m1 'Error:' <<< "$LAST_OUT")"
expect_fail pvctl check app:1
expect_refused_check "REFUSED" "requires content: layer 2 of 4 (diffID ${DIFF_IDS[1]}" "etc/image-stamp content differs"
grep -q '"verdict":"deny".*"content: layer 2 of 4' "$E2E_DIR/decisions.log" \
  && pass "decision log has the content deny" || fail "no content deny in the decision log"

e2e_log "restored: allowed again"
cp -a "$E2E_DIR/image-stamp.orig" "$BASE/etc/image-stamp"
run_ok restored

source "$(dirname "$0")/content_tampers.sh"

tampers full

e2e_log "cached mode: the first run records fingerprints, later runs trust them"
expect_ok vctl policy allow localhost/app --content cached
sleep 0.2
run_ok cached-record
[[ -d "$CFG/content-cache/fingerprints" && $(stat -c %a "$CFG/content-cache") == 700 ]] \
  && pass "root-only fingerprint cache written" || fail "no root-only content cache"
run_ok cached-trusted
expect_ok pvctl check app:1
expect_contains "$LAST_OUT" "unchanged since verified"

e2e_log "[cached] one byte changed with size and mtime kept: the changed ctime triggers a re-hash"
printf 'X' | dd of="$BASE/etc/image-stamp" bs=1 seek=0 conv=notrunc status=none
touch -r "$E2E_DIR/image-stamp.orig" "$BASE/etc/image-stamp"
run_refused cached-byte "layer 2 of 4 (diffID ${DIFF_IDS[1]}" "etc/image-stamp content differs"
cp -a "$E2E_DIR/image-stamp.orig" "$BASE/etc/image-stamp"
run_ok cached-byte-undone

tampers cached

e2e_log "the top layer counts too: a byte changed in it is refused naming layer 4"
cp -a "$upper/opt/app/top" "$E2E_DIR/top.orig"
printf 'X' | dd of="$upper/opt/app/top" bs=1 seek=0 conv=notrunc status=none
run_refused top-byte "layer 4 of 4 (diffID ${DIFF_IDS[3]}" "opt/app/top content differs"
cp -a "$E2E_DIR/top.orig" "$upper/opt/app/top"
run_ok top-undone
