#!/bin/bash
# Real Docker layers as fixtures for content verification: a private dockerd builds an image
# whose layers hold what tar-split must reproduce exactly (PAX long names and link targets,
# hard links, a fifo, setuid and empty files, non-ASCII names, whiteouts, an opaque
# directory), `docker save` exports it, and the fixture tests (tests/fixtures/docker) prove
# the reassembled stream of every layer is byte for byte the exported layer.tar (same SHA-256,
# which is the diffID) and that a manifest built from that tar accepts the layer directory.
source "$(dirname "$0")/lib.sh"
e2e_init
[[ -x "${VERIFIED_FIXTURE_TESTS:-}" ]] || e2e_skip "VERIFIED_FIXTURE_TESTS does not name the fixture test binary"
e2e_need python3
e2e_start_docker

LONG=$(printf 'a%.0s' $(seq 1 120))
TARGET=/$(printf 'target-%.0s' $(seq 1 20))
e2e_log "build saved:1 (four layers) with long names, links, a fifo, whiteouts and an opaque dir"
e2e_build_image saved:1 \
  "RUN busybox mkdir -p /d/$LONG /d/opq /d/gone && echo long > /d/$LONG/file && busybox ln -s $TARGET /d/sym && busybox ln /etc/image-tag /d/hard && busybox mkfifo /d/fifo && busybox touch /d/empty /d/opq/old /d/gone/x && busybox chmod 4755 /d/empty && echo u > '/d/ünïcödé'" \
  "RUN busybox rm -rf /d/gone /d/opq /d/hard && busybox mkdir /d/opq && echo new > /d/opq/new && busybox chmod 0600 /d/$LONG/file"

e2e_log "docker save, and the SHA-256 of every exported layer.tar"
mkdir -p "$E2E_DIR/saved" "$E2E_DIR/fixtures"
expect_ok d save -o "$E2E_DIR/saved.tar" saved:1
tar -xf "$E2E_DIR/saved.tar" -C "$E2E_DIR/saved" || fail "cannot unpack the saved image"
ID=$(d image inspect --format '{{.Id}}' saved:1)
python3 - "$E2E_DIR/saved" "$DOCKER_DATA" "$ID" "$E2E_DIR/fixtures/fixture.json" <<'PY'
import hashlib, json, os, sys
saved, data_root, image, out = sys.argv[1:]
manifest = json.load(open(os.path.join(saved, "manifest.json")))[0]
layers = []
for rel in manifest["Layers"]:
    path = os.path.join(saved, rel)
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    layers.append({"tar": path, "sha256": "sha256:" + h.hexdigest()})
json.dump({"data_root": data_root, "image": image, "layers": layers}, open(out, "w"))
print(f"{len(layers)} layers exported")
PY

e2e_log "fixture tests: reassembly equals the exported stream; the manifest path accepts it too"
VERIFIED_DOCKER_FIXTURES="$E2E_DIR/fixtures" expect_ok "$VERIFIED_FIXTURE_TESTS" --gtest_filter='DockerSavedLayers.*'
echo "$LAST_OUT" | grep -E '^\[ +(OK|FAILED|SKIPPED) +\]'
expect_contains "$LAST_OUT" "[  PASSED  ] 3 tests"
