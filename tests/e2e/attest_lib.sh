# Attestations for e2e tests (issue 15): predicates written as the tools write them (Trivy's
# `--format cosign-vuln`, syft's SPDX JSON, an SLSA v1 provenance), a bundle made with OpenSSL
# as `cosign attest --key` v3 makes it, and the scenarios both engines run.

# days_ago N: RFC 3339 UTC time N days ago.
days_ago() { date -u -d "@$(( $(date +%s) - $1 * 86400 ))" +%Y-%m-%dT%H:%M:%SZ; }

# write_vuln OUT FINISHED [ID:SEVERITY...]: a cosign vuln predicate from Trivy.
write_vuln() {
  /usr/bin/python3 - "$@" <<'PY'
import json, sys
out, finished, *vulns = sys.argv[1:]
vs = [{"VulnerabilityID": v.split(":")[0], "PkgName": "openssl", "InstalledVersion": "3.0.1",
       "Severity": v.split(":")[1]} for v in vulns]
p = {"invocation": {"parameters": None, "uri": "", "event_id": "", "builder.id": ""},
     "scanner": {"uri": "pkg:github/aquasecurity/trivy@0.58.1", "version": "0.58.1",
                 "db": {"uri": "", "version": ""},
                 "result": {"SchemaVersion": 2, "ArtifactName": "app", "ArtifactType": "container_image",
                            "Results": [{"Target": "app", "Class": "os-pkgs", "Type": "alpine",
                                         "Vulnerabilities": vs}]}},
     "metadata": {"scanStartedOn": finished, "scanFinishedOn": finished}}
json.dump(p, open(out, "w"), indent=2)
PY
}

# write_spdx OUT: syft-like SPDX 2.3 JSON.
write_spdx() {
  cat > "$1" <<'JSON'
{"spdxVersion":"SPDX-2.3","dataLicense":"CC0-1.0","SPDXID":"SPDXRef-DOCUMENT","name":"app",
 "documentNamespace":"https://anchore.com/syft/image/app-e2e",
 "creationInfo":{"created":"2026-12-01T10:00:00Z","creators":["Tool: syft-1.18.1"]},
 "packages":[{"name":"busybox","SPDXID":"SPDXRef-Package-busybox","versionInfo":"1.36.1",
              "downloadLocation":"NOASSERTION"}]}
JSON
}

# write_slsa OUT BUILDER: an SLSA v1 provenance of github.com/acme/app at a fixed commit.
write_slsa() {
  jq -n --arg b "$2" '{buildDefinition:{buildType:"https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
     externalParameters:{workflow:{ref:"refs/heads/main",repository:"https://github.com/acme/app"}},
     resolvedDependencies:[{uri:"git+https://github.com/acme/app@refs/heads/main",
                            digest:{gitCommit:"0123456789abcdef0123456789abcdef01234567"}}]},
    runDetails:{builder:{id:$b}}}' > "$1"
}

# openssl_attest KEY DIGEST PREDICATE_TYPE PREDICATE_FILE OUT: a sigstore bundle v0.3 with
# DSSE over an in-toto Statement v0.1 (as cosign attest writes it) for DIGEST, PAE signed.
openssl_attest() {
  local key=$1 digest=$2 ptype=$3 pfile=$4 out=$5 t=application/vnd.in-toto+json
  jq -c --arg d "${digest#sha256:}" --arg p "$ptype" \
    '{_type:"https://in-toto.io/Statement/v0.1", predicateType:$p,
      subject:[{name:"app", digest:{sha256:$d}}], predicate:.}' "$pfile" > "$out.stmt"
  { printf 'DSSEv1 %d %s %d ' ${#t} "$t" "$(stat -c%s "$out.stmt")"; cat "$out.stmt"; } > "$out.pae"
  local sig
  sig=$(openssl dgst -sha256 -sign "$key" "$out.pae" | base64 -w0) || fail "openssl sign"
  jq -nc --arg p "$(base64 -w0 "$out.stmt")" --arg t "$t" --arg s "$sig" \
    '{mediaType:"application/vnd.dev.sigstore.bundle.v0.3+json",
      verificationMaterial:{publicKey:{hint:"ci"}},
      dsseEnvelope:{payload:$p, payloadType:$t, signatures:[{sig:$s, keyid:""}]}}' > "$out"
}

VULN_T=https://cosign.sigstore.dev/attestation/vuln/v1
GOOD_BUILDER=https://github.com/actions/runner/github-hosted
POLICY_REQ=(--require attested_by=ci --require vulnerabilities=critical:0,high:5
            --require scan_max_age_days=30 --require sbom
            --require 'provenance_builder=https://github.com/actions/runner/*'
            --require 'provenance_source=https://github.com/acme/*')

# attest_scenarios: needs actl (verifiedctl with the engine's options), img NAME (the image
# reference of a built image), allowed NAME IMAGE, refused NAME MESSAGE IMAGE, and the images
# app, old, nosbom, builder, otherdigest, untrusted built; keys ci (trusted) and S/stranger.key.
attest_scenarios() {
  local A="$E2E_DIR/att" i
  mkdir -p "$A"
  write_vuln "$A/crit.json" "$(days_ago 2)" CVE-2026-0001:CRITICAL CVE-2026-0002:HIGH
  write_vuln "$A/clean.json" "$(days_ago 1)" CVE-2026-0002:HIGH
  write_vuln "$A/old.json" "$(days_ago 40)"
  write_spdx "$A/sbom.json"
  write_slsa "$A/slsa.json" "$GOOD_BUILDER"
  write_slsa "$A/evil-slsa.json" https://ci.evil.example/builder
  for i in app old nosbom builder otherdigest untrusted; do
    expect_ok vctl policy allow "$(img "$i")" "${POLICY_REQ[@]}"
  done
  expect_ok vctl policy lint
  expect_fail vctl policy allow "$(img nokey)" --require attested_by=nokey --require sbom
  expect_contains "$LAST_OUT" "attested_by names key nokey" "unknown attested_by key"

  e2e_log "app: SBOM, provenance, and a scan listing a CRITICAL: refused"
  expect_ok actl attest "$(img app)" --key "$S/ci.key" --type spdx --predicate "$A/sbom.json"
  expect_contains "$LAST_OUT" "SPDX-2.3 document"
  expect_ok actl attest "$(img app)" --key "$S/ci.key" --type slsa --predicate "$A/slsa.json"
  expect_ok actl attest "$(img app)" --key "$S/ci.key" --type vuln --predicate "$A/crit.json" \

  expect_contains "$LAST_OUT" "1 critical, 1 high"
  refused crit "lists 1 critical over the limit of 0: CVE-2026-0001" "$(img app)"

  e2e_log "app: a newer clean scan: runs; check shows each attestation"
  expect_ok actl attest "$(img app)" --key "$S/ci.key" --type vuln --predicate "$A/clean.json" \
    --output "$A/app-clean.bundle"
  APP_DIGEST=$(grep -o 'attestation for sha256:[0-9a-f]*' <<< "$LAST_OUT" | cut -d' ' -f3)
  allowed clean "$(img app)"
  expect_ok actl check "$(img app)"
  echo "$LAST_OUT"
  expect_contains "$LAST_OUT" "[pass] attestations" "check"
  expect_contains "$LAST_OUT" "by key ci: slsa (https://slsa.dev/provenance/v1): built by $GOOD_BUILDER from https://github.com/acme/app" "check"
  expect_contains "$LAST_OUT" "by key ci: spdx" "check"
  expect_ok vctl attestation list
  expect_contains "$LAST_OUT" "vuln	ci	scan by pkg:github/aquasecurity/trivy@0.58.1" "list"

  e2e_log "old: a clean scan 40 days old: refused"
  for f in sbom:spdx slsa:slsa old:vuln; do
    expect_ok actl attest "$(img old)" --key "$S/ci.key" --type "${f#*:}" --predicate "$A/${f%%:*}.json"
  done
  refused old "is 40 days old (scan_max_age_days 30)" "$(img old)"

  e2e_log "nosbom: clean scan and provenance, no SBOM: refused"
  for f in clean:vuln slsa:slsa; do
    expect_ok actl attest "$(img nosbom)" --key "$S/ci.key" --type "${f#*:}" --predicate "$A/${f%%:*}.json"
  done
  refused nosbom "no valid SBOM attestation (SPDX or CycloneDX) of this image" "$(img nosbom)"

  e2e_log "builder: built by another builder: refused"
  for f in clean:vuln sbom:spdx evil-slsa:slsa; do
    expect_ok actl attest "$(img builder)" --key "$S/ci.key" --type "${f#*:}" --predicate "$A/${f%%:*}.json"
  done
  refused builder "no provenance with builder https://github.com/actions/runner/* and source https://github.com/acme/*: built by https://ci.evil.example/builder" "$(img builder)"

  e2e_log "untrusted: everything attested by a key the host does not trust: refused"
  for f in clean:vuln sbom:spdx slsa:slsa; do
    expect_ok actl attest "$(img untrusted)" --key "$S/stranger.key" --type "${f#*:}" --predicate "$A/${f%%:*}.json"
    expect_contains "$LAST_OUT" "key not trusted"
  done
  refused untrusted "signed by no trusted key" "$(img untrusted)"

  e2e_log "otherdigest: app's clean scan placed under otherdigest's manifest: refused"
  for f in sbom:spdx slsa:slsa; do
    expect_ok actl attest "$(img otherdigest)" --key "$S/ci.key" --type "${f#*:}" --predicate "$A/${f%%:*}.json"
  done
  local other h
  other=$(grep -o 'attestation for sha256:[0-9a-f]*' <<< "$LAST_OUT" | cut -d' ' -f3)
  h=$(sha256sum < "$A/app-clean.bundle" | cut -d' ' -f1)
  cp "$A/app-clean.bundle" "$CFG/attestations/sha256-${other#sha256:}/$h.json"
  refused otherdigest "it attests $APP_DIGEST, not $other (an attestation for another image)" \
    "$(img otherdigest)"
}
