#!/bin/bash
# Docker (overlay2) with "content": the bytes in the image's layer directories are verified on
# every create. One byte changed in a lower layer's file is refused naming the layer and the
# file; restored, the image runs again. Added, removed, re-moded and symlink-replaced files are
# refused in both "full" and "cached" modes.
# Podman (containers/storage tar-split): tests/e2e/podman_content.sh.
source "$(dirname "$0")/lib.sh"
e2e_init
e2e_start_docker

RUN=(d run --rm --network=none --runtime=verified -v "$E2E_DIR/canary:/canary")

e2e_log "build app:1 (four layers: busybox, /etc/image-tag, /opt/app, top) and allow it with content: full"
e2e_build_image app:1 \
  'RUN mkdir -p /opt/app && echo "config v1" > /opt/app/config && echo data > /opt/app/data && ln -s config /opt/app/current && chmod 640 /opt/app/data' \
  'RUN echo top > /opt/app/top && rm /etc/image-tag'
expect_ok vctl policy allow app --content full
expect_ok vctl policy lint

# Layer directories, bottom first (GraphDriver.Data.LowerDir lists the lower layers top first).
upper=$(d image inspect app:1 --format '{{.GraphDriver.Data.UpperDir}}')
IFS=: read -r -a lowers <<< "$(d image inspect app:1 --format '{{.GraphDriver.Data.LowerDir}}')"
BASE=${lowers[1]}   # layer 2: /etc/image-tag
MID=${lowers[0]}    # layer 3: /opt/app
mapfile -t DIFF_IDS < <(d image inspect app:1 --format '{{range .RootFS.Layers}}{{println .}}{{end}}' | sed '/^$/d')
[[ -f "$BASE/etc/image-tag" && -f "$MID/opt/app/config" && -d "$upper" ]] \
  || { fail "unexpected layer layout: $BASE $MID $upper"; exit 1; }

run_ok() {  # run_ok NAME: the container runs and writes its canary
  expect_ok "${RUN[@]}" app:1 sh -c "touch /canary/$1; echo ran-$1"
  expect_contains "$LAST_OUT" "ran-$1"
  # The positive control of run_refused's canary: the same command writes it when allowed.
  expect_file "$E2E_DIR/canary/$1"
}
run_refused() {  # run_refused NAME NEEDLE...: refused before the container ran
  local name=$1; shift
  expect_fail "${RUN[@]}" app:1 sh -c "touch /canary/$name"
  expect_contains "$LAST_OUT" "OCI runtime create failed: verified: refused image app:1"
  local n
  for n in "$@"; do expect_contains "$LAST_OUT" "$n"; done
  expect_no_file "$E2E_DIR/canary/$name"
}

e2e_log "an untouched image runs (every layer reassembles to its diffID)"
run_ok clean
expect_ok vctl check app:1
expect_contains "$LAST_OUT" "4 layers match their diffIDs"

e2e_log "one byte of one file in a lower layer changed, mtime restored: refused, naming layer and file"
cp -a "$BASE/etc/image-tag" "$E2E_DIR/image-tag.orig"
printf 'X' | dd of="$BASE/etc/image-tag" bs=1 seek=0 conv=notrunc status=none
touch -r "$E2E_DIR/image-tag.orig" "$BASE/etc/image-tag"
run_refused byte "requires content: layer 2 of 4 (diffID ${DIFF_IDS[1]}" "$BASE" \
  "etc/image-tag content differs"
expect_fail vctl check app:1
expect_refused_check "REFUSED" "requires content: layer 2 of 4 (diffID ${DIFF_IDS[1]}" "etc/image-tag content differs"
grep -q '"verdict":"deny".*"content: layer 2 of 4' "$E2E_DIR/decisions.log" \
  && pass "decision log has the content deny" || fail "no content deny in the decision log"

e2e_log "restored: allowed again"
cp -a "$E2E_DIR/image-tag.orig" "$BASE/etc/image-tag"
run_ok restored

source "$(dirname "$0")/content_tampers.sh"

tampers full

e2e_log "cached mode: the first run records fingerprints, later runs trust them"
expect_ok vctl policy allow app --content cached
sleep 0.2
run_ok cached-record
[[ -d "$CFG/content-cache/fingerprints" && $(stat -c %a "$CFG/content-cache") == 700 ]] \
  && pass "root-only fingerprint cache written" || fail "no root-only content cache"
run_ok cached-trusted
expect_ok vctl check app:1
expect_contains "$LAST_OUT" "unchanged since verified"

e2e_log "[cached] one byte changed with size and mtime kept: the changed ctime triggers a re-hash"
printf 'X' | dd of="$BASE/etc/image-tag" bs=1 seek=0 conv=notrunc status=none
touch -r "$E2E_DIR/image-tag.orig" "$BASE/etc/image-tag"
run_refused cached-byte "layer 2 of 4 (diffID ${DIFF_IDS[1]}" "etc/image-tag content differs"
cp -a "$E2E_DIR/image-tag.orig" "$BASE/etc/image-tag"
run_ok cached-byte-undone

tampers cached
