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
std::string NotByTheseKeys(const StoredAttestation& a, const Error& error,
                           const std::vector<signature::PublicKey>& keys,
                           const std::vector<signature::PublicKey>& all_keys,
                           std::string& key_name) {
  std::vector<signature::PublicKey> others;
  for (const auto& k : all_keys) {
    bool listed = std::any_of(keys.begin(), keys.end(),
                              [&](const auto& r) { return r.fingerprint() == k.fingerprint(); });
    if (!listed) others.push_back(k);
  }
  if (error.kind() == ErrorKind::kIntegrity && !others.empty()) {
    auto by_other = VerifyAttestationBundle(a.bundle, others);
    if (by_other.ok()) {
      key_name = by_other->key_name;
      return fmt::format("signed by key {}, which this rule does not accept", key_name);
    }
  }
  return error.What();
}

void Evaluate(const ResolvedImage& image, const StoredAttestations& stored,
              const std::optional<std::string>& manifest, const StoredAttestation& a,
              const std::vector<signature::PublicKey>& keys,
              const std::vector<signature::PublicKey>& all_keys, FoundAttestation& out) {
  auto v = VerifyAttestationBundle(a.bundle, keys);
  if (!v.ok()) {
    out.why = NotByTheseKeys(a, v.error(), keys, all_keys, out.key_name);
    return;
  }
  out.key_name = v->key_name;
  // The directory is only where it was put: the signed subject is what binds it.
  if (!v->statement.HasSubject(stored.digest)) {
    std::string named;
    for (const auto& d : v->statement.subject_digests) named += (named.empty() ? "" : ", ") + d;
    out.why = fmt::format("it attests {}, not {} (an attestation for another image)", named,
                          stored.digest);
    return;
  }
  auto proof = signature::ProveSignedDigest(image, stored.digest, manifest);
  if (!proof.ok()) {
    out.why = proof.error().What();
    return;
  }
  out.proof = std::move(proof).value();
  out.attestation = std::move(v).value();
}

}  // namespace

Result<std::vector<FoundAttestation>> CollectAttestations(
    const std::string& config_dir, const ResolvedImage& image,
    const std::vector<signature::PublicKey>& keys,
    const std::vector<signature::PublicKey>& all_keys) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> digests,
                            signature::CandidateDigests(config_dir, image));
  std::vector<FoundAttestation> out;
  for (const auto& digest : digests) {
    VERIFIED_ASSIGN_OR_RETURN(StoredAttestations stored, AttestationsFor(config_dir, digest));
    if (stored.bundles.empty()) continue;
    std::optional<std::string> manifest = stored.manifest;
    if (!manifest) {
      VERIFIED_ASSIGN_OR_RETURN(signature::StoredSignatures sigs,
                                signature::SignaturesFor(config_dir, digest));
      manifest = std::move(sigs.manifest);
    }
    for (const auto& a : stored.bundles) {
      FoundAttestation f;
      f.digest = stored.digest;
      f.id = a.id;
      Evaluate(image, stored, manifest, a, keys, all_keys, f);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace verified::attestation
