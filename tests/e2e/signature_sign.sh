#!/bin/bash
# verifiedctl sign and cosign-layout import, against real engines (issue 12, signature sources):
#  1. Docker (overlay2, no manifest kept): `verifiedctl sign` signs the manifest skopeo's
#     docker-daemon: transport generates (compared byte for byte with skopeo's), writes
#     payload.json / payload.sig / manifest.json that `openssl dgst -verify` accepts, and stores
#     the signature (listed by `signature list`, verified with the trusted key);
#  2. containerd: the same over the manifest in containerd's content store, whose recorded
#     files (check --json .provenance.manifest_files) exist and hash to their digests;
#  3. a `cosign save` OCI layout built here with OpenSSL (simple-signing `sigs` manifest and a
#     v0.3 bundle referrer left out of index.json, as cosign v3's save leaves it) imports; the
#     same layout with one payload byte changed, or signed by an untrusted key, does not.
# cosign is not installed here: OpenSSL produces what `cosign sign-blob` would.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/oci_image.sh"
source "$(dirname "$0")/signature_lib.sh"
e2e_init
e2e_need openssl jq skopeo umoci containerd ctr base64 sha256sum

expect_ok vctl key generate ci --private-out "$E2E_DIR/ci.key"
PUB="$CFG/keys/ci.pub"
cp "$PUB" "$E2E_DIR/ci.pub"

e2e_log "1. Docker overlay2: the docker-daemon manifest, signed"
e2e_start_docker
e2e_build_image app:1
O="$E2E_DIR/out-docker"
expect_ok vctl sign app:1 --key "$E2E_DIR/ci.key" --output "$O"
expect_contains "$LAST_OUT" "trusted as ci"
verify_output "$O" docker.io/library/app
id=$(d image inspect -f '{{.Id}}' app:1)
[[ $(jq -r .config.digest "$O/manifest.json") == "$id" ]] && pass "manifest config = image ID" \
  || fail "manifest config is not $id"
expect_ok skopeo inspect --daemon-host "$DOCKER_HOST" --raw "docker-daemon:docker.io/library/app:1"
if cmp -s <(printf '%s' "$LAST_OUT") "$O/manifest.json"; then
  pass "manifest.json is byte for byte skopeo's docker-daemon: manifest"
else
  fail "manifest differs from skopeo's: $LAST_OUT vs $(cat "$O/manifest.json")"
fi
DOCKER_DIGEST=sha256:$(sha256sum "$O/manifest.json" | cut -d' ' -f1)
listed "$(vctl signature list --json)" "$DOCKER_DIGEST" docker.io/library/app store
# The manifest went into the store with it (Docker keeps none).
expect_file "$CFG/signatures/sha256-${DOCKER_DIGEST#sha256:}/manifest.json"
# Signing again with an encrypted (cosign-style) key is refused with a clear message.
printf -- '-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n' > "$E2E_DIR/cosign.key"
expect_fail vctl sign app:1 --key "$E2E_DIR/cosign.key"
expect_contains "$LAST_OUT" "encrypted private key"

e2e_log "2. containerd: the content store's manifest, signed"
e2e_start_runtime_containerd
oci_image "$E2E_DIR/oci" 1 app-1 > /dev/null || fail "umoci image"
oci_archive "$E2E_DIR/oci" "$E2E_DIR/app.tar"
expect_ok "${C[@]}" images import --base-name docker.io/library/app "$E2E_DIR/app.tar"
O2="$E2E_DIR/out-ctd"
expect_ok vctl sign app:1 --engine containerd --key "$E2E_DIR/ci.key" --output "$O2"
verify_output "$O2" docker.io/library/app
target=$("${C[@]}" images ls | awk '$1 == "docker.io/library/app:1" {print $3}')
CTD_DIGEST=sha256:$(sha256sum "$O2/manifest.json" | cut -d' ' -f1)
[[ $CTD_DIGEST == "$target" ]] && pass "signed the content store's manifest $target" \
  || fail "signed $CTD_DIGEST, containerd's image targets $target"
listed "$(vctl signature list --json)" "$CTD_DIGEST" docker.io/library/app store
expect_ok vctl policy allow app --require registered
out=$(vctl check app:1 --engine containerd --json)
manifest_files_hash "$out"

e2e_log "3. a cosign save layout (sigs manifest + bundle referrer) imports"
L="$E2E_DIR/cosign-layout"
mkdir -p "$L/blobs/sha256"
cp "$E2E_DIR/oci/blobs/sha256/"* "$L/blobs/sha256/"
printf '{"imageLayoutVersion":"1.0.0"}' > "$L/oci-layout"
put() { local h; h=$(sha256sum "$1" | cut -d' ' -f1); cp "$1" "$L/blobs/sha256/$h"; echo "$h"; }
mdesc=$(jq -c '.manifests[0] | del(.annotations)' "$E2E_DIR/oci/index.json")
mdig=$(jq -r .digest <<< "$mdesc")
printf '{"critical":{"identity":{"docker-reference":"docker.io/library/app"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$mdig" > "$E2E_DIR/p.json"
sig=$(openssl dgst -sha256 -sign "$E2E_DIR/ci.key" "$E2E_DIR/p.json" | base64 -w0)
printf '{}' > "$E2E_DIR/cfg.json"
ph=$(put "$E2E_DIR/p.json"); ch=$(put "$E2E_DIR/cfg.json")
jq -nc --arg p "sha256:$ph" --argjson ps "$(stat -c%s "$E2E_DIR/p.json")" --arg c "sha256:$ch" --arg s "$sig" '
  {schemaVersion:2, mediaType:"application/vnd.oci.image.manifest.v1+json",
   config:{mediaType:"application/vnd.oci.image.config.v1+json", digest:$c, size:2},
   layers:[{mediaType:"application/vnd.dev.cosign.simplesigning.v1+json", digest:$p, size:$ps,
            annotations:{"dev.cosignproject.cosign/signature":$s}}]}' > "$E2E_DIR/sigs.json"
sh=$(put "$E2E_DIR/sigs.json")
# A cosign v3 bundle: DSSE over an in-toto Statement naming the image, PAE signed.
printf '{"_type":"https://in-toto.io/Statement/v1","subject":[{"name":"docker.io/library/app","digest":{"sha256":"%s"}}],"predicateType":"https://sigstore.dev/cosign/sign/v1","predicate":{}}' "${mdig#sha256:}" > "$E2E_DIR/stmt.json"
ptype=application/vnd.in-toto+json
{ printf 'DSSEv1 %d %s %d ' ${#ptype} "$ptype" "$(stat -c%s "$E2E_DIR/stmt.json")"; cat "$E2E_DIR/stmt.json"; } > "$E2E_DIR/pae"
dsig=$(openssl dgst -sha256 -sign "$E2E_DIR/ci.key" "$E2E_DIR/pae" | base64 -w0)
jq -nc --arg p "$(base64 -w0 "$E2E_DIR/stmt.json")" --arg t "$ptype" --arg s "$dsig" '
  {mediaType:"application/vnd.dev.sigstore.bundle.v0.3+json",
   verificationMaterial:{publicKey:{hint:"ci"}},
   dsseEnvelope:{payload:$p, payloadType:$t, signatures:[{sig:$s}]}}' > "$E2E_DIR/bundle.json"
bh=$(put "$E2E_DIR/bundle.json")
jq -nc --arg b "sha256:$bh" --argjson bs "$(stat -c%s "$E2E_DIR/bundle.json")" --argjson m "$mdesc" --arg c "sha256:$ch" '
  {schemaVersion:2, mediaType:"application/vnd.oci.image.manifest.v1+json",
   artifactType:"application/vnd.dev.sigstore.bundle.v0.3+json",
   config:{mediaType:"application/vnd.oci.empty.v1+json", digest:$c, size:2},
   layers:[{mediaType:"application/vnd.dev.sigstore.bundle.v0.3+json", digest:$b, size:$bs}],
   subject:$m}' > "$E2E_DIR/referrer.json"
put "$E2E_DIR/referrer.json" > /dev/null
jq -nc --argjson m "$mdesc" --arg s "sha256:$sh" --argjson ss "$(stat -c%s "$E2E_DIR/sigs.json")" '
  {schemaVersion:2, mediaType:"application/vnd.oci.image.index.v1+json",
   manifests:[($m + {annotations:{kind:"dev.cosignproject.cosign/image"}}),
              {mediaType:"application/vnd.oci.image.manifest.v1+json", digest:$s, size:$ss,
               annotations:{kind:"dev.cosignproject.cosign/sigs"}}]}' > "$L/index.json"
# With the key no longer trusted, nothing is imported.
expect_ok vctl key remove ci
expect_fail vctl signature import "$L"
expect_contains "$LAST_OUT" "no trusted key"
expect_ok vctl key add ci "$E2E_DIR/ci.pub"
# The payload blob rewritten to name another repository: it no longer hashes to its name.
T="$E2E_DIR/tampered"
cp -r "$L" "$T"
sed 's/library\/app/library\/xyz/' "$E2E_DIR/p.json" > "$T/blobs/sha256/$ph"  # same length
expect_fail vctl signature import "$T"
expect_contains "$LAST_OUT" "content hashes to"
before=$(vctl signature list --json | jq length)
expect_ok vctl signature import "$L"
expect_contains "$LAST_OUT" "simple-signing signature for $mdig (key ci"
expect_contains "$LAST_OUT" "sigstore-bundle signature for $mdig (key ci"
after=$(vctl signature list --json | jq length)
[[ $after -eq $((before + 2)) ]] && pass "2 signatures imported ($before -> $after)" \
  || fail "expected 2 more signatures: $before -> $after"
expect_file "$CFG/signatures/sha256-${mdig#sha256:}/manifest.json"
