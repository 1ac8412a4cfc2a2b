#!/bin/bash
# Podman (containers/storage): where manifests and signatures come from (issue 12).
#  1. the manifests storage keeps for an image (manifest-<digest> big-data) are recorded by the
#     resolver: check --json lists them, and each exists and hashes to its digest;
#  2. `verifiedctl sign --engine podman` signs storage's own manifest; openssl verifies the
#     files it writes;
#  3. signatures containers/image itself writes into storage (skopeo copy from a dir: image with
#     a sigstore-json signature-1, what Podman stores with use-sigstore-attachments) are read in
#     place: `signature list --image` shows them verified by the trusted key, from the engine;
#     after the item's bytes change on disk, they are refused, not listed as valid.
source "$(dirname "$0")/lib.sh"
e2e_init
source "$(dirname "$0")/podman_lib.sh"
source "$(dirname "$0")/signature_lib.sh"
e2e_need openssl jq skopeo base64 sha256sum

expect_ok vctl key generate ci --private-out "$E2E_DIR/ci.key"
PUB="$CFG/keys/ci.pub"
pm_build localhost/app:1
expect_ok vctl policy allow localhost/app --require registered

e2e_log "1. storage's manifests, recorded"
out=$(pvctl check localhost/app:1 --json)
manifest_files_hash "$out"
id=$(pm image inspect -f '{{.Id}}' localhost/app:1)

e2e_log "2. verifiedctl sign over storage's manifest"
O="$E2E_DIR/out"
expect_ok pvctl sign localhost/app:1 --key "$E2E_DIR/ci.key" --output "$O"
verify_output "$O" localhost/app
signed=sha256:$(sha256sum "$O/manifest.json" | cut -d' ' -f1)
[[ $(jq --arg d "$signed" '[.provenance.manifest_files[] | select(.digest == $d)] | length' <<< "$out") -ge 1 ]] \
  && pass "signed one of storage's manifests ($signed)" || fail "$signed is not among $out"
[[ $(jq -r .config.digest "$O/manifest.json") == "sha256:$id" ]] && pass "its config is the image" \
  || fail "manifest config is not sha256:$id"

e2e_log "3. signatures containers/image stores with the image, read in place"
STORE="containers-storage:[overlay@$PR/root+$PR/runroot]"
D="$E2E_DIR/dir-image"
expect_ok skopeo copy "${STORE}localhost/app:1" "dir:$D"
mdig=sha256:$(sha256sum "$D/manifest.json" | cut -d' ' -f1)
printf '{"critical":{"identity":{"docker-reference":"localhost/signed"},"image":{"docker-manifest-digest":"%s"},"type":"cosign container image signature"},"optional":null}' "$mdig" > "$E2E_DIR/p.json"
sig=$(openssl dgst -sha256 -sign "$E2E_DIR/ci.key" "$E2E_DIR/p.json" | base64 -w0)
{ printf '\0sigstore-json\n'
  jq -nc --arg p "$(base64 -w0 "$E2E_DIR/p.json")" --arg s "$sig" \
    '{mimeType:"application/vnd.dev.cosign.simplesigning.v1+json", payload:$p,
      annotations:{"dev.cosignproject.cosign/signature":$s}}'; } > "$D/signature-1"
expect_ok skopeo copy "dir:$D" "${STORE}localhost/signed:1"
meta=$(jq -r --arg id "$id" '.[] | select(.id == $id) | .metadata' "$PR/root/overlay-images/images.json")
echo "images.json metadata: $meta"
[[ $(jq --arg d "$mdig" '((."signatures-sizes"[$d] // []) + (."signature-sizes" // [])) | length' <<< "$meta") -ge 1 ]] \
  && pass "containers/image recorded signature sizes" || fail "no signature sizes: $meta"
expect_ok pvctl signature list --image localhost/signed:1 --json
listed "$LAST_OUT" "$mdig" localhost/signed engine
# The item's bytes changed on disk (same length): images.json's big-data digest no longer
# matches, and listing refuses instead of showing anything as valid.
# The items are named as containers/storage names big-data files: "signatures" as is,
# "signature-<hex>" as "=" + base64 (it has a '-').
items=()
for f in signatures "=$(printf 'signature-%s' "${mdig#sha256:}" | base64 -w0)"; do
  [[ -f "$PR/root/overlay-images/$id/$f" ]] && items+=("$PR/root/overlay-images/$id/$f")
done
[[ ${#items[@]} -ge 1 ]] && pass "signature items: ${items[*]}" || fail "no signature item in overlay-images/$id"
for f in "${items[@]}"; do
  /usr/bin/python3 -c 'import sys; p=sys.argv[1]; b=bytearray(open(p,"rb").read()); b[-5]^=1; open(p,"wb").write(b)' "$f"
done
expect_fail pvctl signature list --image localhost/signed:1 --json
expect_contains "$LAST_OUT" "content hashes to"
