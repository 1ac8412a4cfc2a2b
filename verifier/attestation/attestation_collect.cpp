#include "verifier/attestation/attestation_collect.h"

#include <algorithm>

#include "verifier/attestation/attestation_store.h"
#include "verifier/signature/signature_candidates.h"
#include "verifier/signature/signature_chain.h"
#include "verifier/signature/signature_store.h"

namespace verified::attestation {
namespace {

// Names the signer of an attestation the rule's keys do not verify, when another trusted key
// does (explain should say "signed by key other", not list verification failures).
std::string NotByTheseKeys(const std::string& bundle, const Error& error,
                           const std::vector<signature::KeyFingerprint>& ids,
                           const AttestationKeys& keys, std::string& key_name) {
  if (error.kind() != ErrorKind::kIntegrity || !keys.all) return error.What();
  auto all = keys.all();
  if (!all.ok()) return error.What();
  std::vector<signature::PublicKey> others;
  for (const auto& k : **all) {
    bool listed = std::any_of(ids.begin(), ids.end(),
                              [&](const auto& r) { return r.fingerprint == k.fingerprint(); });
    if (!listed) others.push_back(k);
  }
  if (others.empty()) return error.What();
  auto by_other = VerifyAttestationBundle(bundle, others);
  if (!by_other.ok()) return error.What();
  key_name = by_other->key_name;
  return fmt::format("signed by key {}, which this rule does not accept", key_name);
}

std::optional<std::string> NameOf(const std::vector<signature::KeyFingerprint>& ids,
                                  const std::string& fingerprint) {
  for (const auto& k : ids) {
    if (k.fingerprint == fingerprint) return k.name;
  }
  return std::nullopt;
}

// The verified attestation, from the cache when it vouches for this very file, else read,
// verified and (on success, when the file was stable and is not racy) added to the cache.
// A failed verification is `out.why`; an unreadable store or unparsable rule key an error.
Result<std::optional<VerifiedAttestation>> Verify(const std::string& config_dir,
                                                  const StoredAttestationFiles& stored,
                                                  const StoredAttestationFile& file,
                                                  const AttestationKeys& keys,
                                                  AttestationCacheSession& session,
                                                  FoundAttestation& out) {
  std::optional<AttestationCacheKey> key;
  if (session.cache) {
    key = AttestationCacheKey{file.id, stored.digest, {}, session.policy_digest};
    for (const auto& k : keys.ids) key->key_fingerprints.push_back(k.fingerprint);
    if (auto hit = session.cache->Find(*key, file.stamp)) {
      if (auto name = NameOf(keys.ids, hit->key_fingerprint)) {
        hit->key_name = *name;
        ++session.hits;
        out.cached = true;
        return hit;
      }
    }
  }
  std::optional<signedpolicy::FileStamp> read_stamp;
  VERIFIED_ASSIGN_OR_RETURN(std::string bundle,
                            ReadStoredAttestation(config_dir, stored.digest, file, read_stamp));
  VERIFIED_ASSIGN_OR_RETURN(const std::vector<signature::PublicKey>* parsed, keys.parsed());
  auto v = VerifyAttestationBundle(bundle, *parsed);
  if (!v.ok()) {
    out.why = NotByTheseKeys(bundle, v.error(), keys.ids, keys, out.key_name);
    return std::optional<VerifiedAttestation>();
  }
  // Cached only for the bytes of a file whose identity held through the read and whose last
  // change is old enough that a further write must change its ctime.
  if (key && session.record && read_stamp && !signedpolicy::IsRacy(*read_stamp) &&
      session.cache->Add(*key, *read_stamp, *v).ok()) {
    ++session.added;
  }
  return std::optional<VerifiedAttestation>(std::move(v).value());
}

Status Evaluate(const std::string& config_dir, const ResolvedImage& image,
                const StoredAttestationFiles& stored, const std::optional<std::string>& manifest,
                const StoredAttestationFile& file, const AttestationKeys& keys,
                AttestationCacheSession& session, FoundAttestation& out) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<VerifiedAttestation> v,
                            Verify(config_dir, stored, file, keys, session, out));
  if (!v) return Ok();
  out.key_name = v->key_name;
  // The directory is only where it was put: the signed subject is what binds it.
  if (!v->statement.HasSubject(stored.digest)) {
    std::string named;
    for (const auto& d : v->statement.subject_digests) named += (named.empty() ? "" : ", ") + d;
    out.why = fmt::format("it attests {}, not {} (an attestation for another image)", named,
                          stored.digest);
    return Ok();
  }
  auto proof = signature::ProveSignedDigest(image, stored.digest, manifest);
  if (!proof.ok()) {
    out.why = proof.error().What();
    return Ok();
  }
  out.proof = std::move(proof).value();
  out.attestation = std::move(v);
  return Ok();
}

}  // namespace

Result<std::vector<FoundAttestation>> CollectAttestations(const std::string& config_dir,
                                                          const ResolvedImage& image,
                                                          const AttestationKeys& keys,
                                                          AttestationCacheSession& session) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> digests,
                            signature::CandidateDigests(config_dir, image));
  std::vector<FoundAttestation> out;
  for (const auto& digest : digests) {
    VERIFIED_ASSIGN_OR_RETURN(StoredAttestationFiles stored,
                              AttestationFilesFor(config_dir, digest));
    if (stored.files.empty()) continue;
    std::optional<std::string> manifest = stored.manifest;
    if (!manifest) {
      VERIFIED_ASSIGN_OR_RETURN(signature::StoredSignatures sigs,
                                signature::SignaturesFor(config_dir, digest));
      manifest = std::move(sigs.manifest);
    }
    for (const auto& file : stored.files) {
      FoundAttestation f;
      f.digest = stored.digest;
      f.id = file.id;
      VERIFIED_RETURN_IF_ERROR(
          Evaluate(config_dir, image, stored, manifest, file, keys, session, f));
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace verified::attestation
