#include "verifier/signature/cached_verification.h"

#include "verifier/signature/cosign_simple_signing.h"

namespace verified::signature {
namespace {

VerificationKey KeyFor(const SignatureRecord& record, const std::vector<KeyFingerprint>& keys,
                       const std::string& policy_digest) {
  VerificationKey k{SignatureRecordId(record), record.digest, {}, policy_digest};
  for (const auto& key : keys) k.key_fingerprints.push_back(key.fingerprint);
  return k;
}

// The claims of a record whose verification the cache vouches for. The payload bytes are the
// ones whose hash (the record id) names the entry, so parsing them again yields the claims
// that were verified; a bundle names no repository.
std::optional<VerifiedSignature> ClaimsOnHit(const SignatureRecord& record,
                                             const std::vector<KeyFingerprint>& keys,
                                             const std::string& fingerprint) {
  VerifiedSignature out;
  for (const auto& key : keys) {
    if (key.fingerprint == fingerprint) out.key_name = key.name;
  }
  if (out.key_name.empty()) return std::nullopt;
  out.key_fingerprint = fingerprint;
  if (record.format == SignatureFormat::kSimpleSigning) {
    auto payload = ParseSimpleSigningPayload(record.payload);
    if (!payload.ok() || payload->manifest_digest != record.digest) return std::nullopt;
    out.docker_reference = payload->docker_reference;
    out.repository = payload->repository;
  }
  return out;
}

}  // namespace

Result<VerifiedSignature> VerifyThroughCache(const SignatureRecord& record, const RuleKeys& keys,
                                             CacheSession& session) {
  std::optional<VerificationKey> key;
  if (session.cache) {
    key = KeyFor(record, keys.ids, session.policy_digest);
    if (auto fp = session.cache->Find(*key)) {
      if (auto claims = ClaimsOnHit(record, keys.ids, *fp)) {
        ++session.hits;
        return *claims;
      }
    }
  }
  VERIFIED_ASSIGN_OR_RETURN(const std::vector<PublicKey>* parsed, keys.parsed());
  auto verified = VerifySignatureRecord(record, *parsed);
  if (key && verified.ok() && session.record &&
      session.cache->Add(*key, verified->key_fingerprint).ok()) {
    ++session.added;
  }
  return verified;
}

}  // namespace verified::signature
