# Helpers for the signature end-to-end tests; source after lib.sh and e2e_init. PUB is the
# trusted public key file of key "ci".

# verify_output DIR REPOSITORY: the files `verifiedctl sign --output DIR` wrote verify as
# cosign's would (`openssl dgst -verify`), name sha256(manifest.json) and REPOSITORY, and stop
# verifying when one byte of the payload changes.
verify_output() {
  local o=$1 repo=$2 digest
  expect_ok openssl dgst -sha256 -verify "$PUB" -signature <(base64 -d "$o/payload.sig") "$o/payload.json"
  expect_contains "$LAST_OUT" "Verified OK"
  digest=sha256:$(sha256sum "$o/manifest.json" | cut -d' ' -f1)
  [[ $(jq -r '.critical.image."docker-manifest-digest"' "$o/payload.json") == "$digest" ]] \
    && pass "payload names sha256(manifest.json) $digest" || fail "payload digest is not $digest"
  [[ $(jq -r '.critical.identity."docker-reference"' "$o/payload.json") == "$repo" ]] \
    && pass "payload names $repo" || fail "docker-reference: $(cat "$o/payload.json")"
  cp "$o/payload.json" "$E2E_DIR/edited.json"; echo >> "$E2E_DIR/edited.json"
  expect_fail openssl dgst -sha256 -verify "$PUB" -signature <(base64 -d "$o/payload.sig") "$E2E_DIR/edited.json"
}

# listed JSON DIGEST REPOSITORY FROM: `signature list --json` output JSON has an entry for
# DIGEST verified by key ci naming REPOSITORY, kept in FROM (store or engine).
listed() {
  [[ $(jq --arg d "$2" --arg r "$3" --arg f "$4" '[.[] | select(.digest == $d and .verified and
        .key == "ci" and .docker_reference == $r and .from == $f)] | length' <<< "$1") -ge 1 ]] \
    && pass "signature list: $2 ($4) verified by ci" || fail "signature list lacks $2 ($4): $1"
}

# manifest_files_hash JSON: every .provenance.manifest_files entry of `check --json` output is
# a regular file that hashes to its digest; prints how many there were.
manifest_files_hash() {
  local n digest path
  n=$(jq '.provenance.manifest_files | length' <<< "$1")
  [[ $n -ge 1 ]] && pass "check --json lists $n manifest file(s)" || fail "no manifest_files: $1"
  while read -r digest path; do
    [[ -f $path && ! -L $path ]] || { fail "manifest file $path is missing"; continue; }
    [[ sha256:$(sha256sum "$path" | cut -d' ' -f1) == "$digest" ]] \
      && pass "$path hashes to $digest" || fail "$path does not hash to $digest"
  done < <(jq -r '.provenance.manifest_files[] | "\(.digest) \(.path)"' <<< "$1")
}
