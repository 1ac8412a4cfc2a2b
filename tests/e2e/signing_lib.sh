# Signing Docker images the way a CI pipeline would, offline, for tests and benchmarks that
# source lib.sh and started a dockerd (DOCKER_DATA set): the manifest `skopeo copy
# docker-daemon:` writes for a local image, and a cosign simple-signing payload signed with
# `openssl dgst` as `cosign sign-blob` signs it.

docker_image_id() { d image inspect --format '{{.Id}}' "$1"; }

# docker_manifest_for IMAGE OUT [CONFIG_DIGEST]: writes the Docker schema 2 manifest of IMAGE
# (layers described by their uncompressed diff_ids and the sizes dockerd records) to OUT,
# optionally naming another config digest (a tampered manifest), and prints its digest.
docker_manifest_for() {
  /usr/bin/python3 - "$DOCKER_DATA" "$(docker_image_id "$1")" "$2" "${3:-}" <<'PY'
import hashlib, json, sys
root, image_id, out, config_override = sys.argv[1:]
cfg = open(f"{root}/image/overlay2/imagedb/content/sha256/{image_id[7:]}", "rb").read()
layers, chain = [], None
for diff in json.loads(cfg)["rootfs"]["diff_ids"]:
    chain = diff if chain is None else "sha256:" + hashlib.sha256(f"{chain} {diff}".encode()).hexdigest()
    size = int(open(f"{root}/image/overlay2/layerdb/sha256/{chain[7:]}/size").read())
    layers.append({"mediaType": "application/vnd.docker.image.rootfs.diff.tar", "size": size,
                   "digest": diff})
m = {"schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
     "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": len(cfg),
                "digest": config_override or image_id},
     "layers": layers}
data = json.dumps(m, indent=3).encode()
open(out, "wb").write(data)
print("sha256:" + hashlib.sha256(data).hexdigest())
PY
}

# simple_sign KEY DIGEST REFERENCE OUT: a cosign simple-signing payload (OUT.payload) over
# DIGEST for REFERENCE, signed with KEY (PEM private key), base64 signature in OUT.sig.
simple_sign() {
  printf '{"critical":{"identity":{"docker-reference":"%s"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' \
    "$3" "$2" > "$4.payload"
  openssl dgst -sha256 -sign "$1" -out "$4.bin" "$4.payload" || fail "openssl dgst -sign $4"
  base64 -w0 "$4.bin" > "$4.sig"
}
