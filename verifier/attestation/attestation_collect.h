// The attestations that speak for an image at create: those stored (attestation_store.h) for
// the image's candidate manifest digests (the same candidates as signatures,
// signature/signature_candidates.h: the manifests the engine keeps, and the stored manifests
// indexed under the image ID), each verified with the given keys only
// (attestation_bundle.h), its Statement's subjects required to name the digest it is stored
// for, and that digest proven down to the image by the signatures' chain
// (signature/signature_chain.h: manifest bytes hashing to it, naming config = the image ID).
//
// The verification (DSSE signature and predicate parse) may come from the attestation cache
// (attestation_cache.h): then the bundle file is not even read. Its listing and trust (lstat),
// the subject and the chain are checked at every decision.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/attestation/attestation_cache.h"
#include "verifier/core/result.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/public_key.h"
#include "verifier/store/resolved_image.h"

namespace verified::attestation {

/// One stored attestation and what became of it.
struct FoundAttestation {
  std::string digest;  ///< the candidate digest it is stored for
  std::string id;      ///< its bundle's hex sha256
  /// Set when one of the keys verified it, its subject names `digest` and the chain holds.
  std::optional<VerifiedAttestation> attestation;
  std::string proof;     ///< the proven chain (counted ones)
  std::string why;       ///< why it does not count (others)
  std::string key_name;  ///< the key that signed it when known ("" otherwise)
  bool cached = false;   ///< its verification came from the attestation cache
};

/// The keys a decision verifies attestations with: named by fingerprint for cache lookups,
/// parsed only when an attestation has to be verified (OpenSSL's set-up costs ~0.5 ms).
struct AttestationKeys {
  std::vector<signature::KeyFingerprint> ids;  ///< the rule's keys (LoadKeyFingerprint)
  /// The rule's keys parsed; an error fails the collection (the caller memoises).
  std::function<Result<const std::vector<signature::PublicKey>*>()> parsed;
  /// The host's trusted keys, only to name the signer of an attestation the rule's keys do not
  /// verify; an error only means the signer is not named.
  std::function<Result<const std::vector<signature::PublicKey>*>()> all;
};

/// The cache as one decision uses it.
struct AttestationCacheSession {
  std::optional<AttestationCache> cache;  ///< nullopt = no cache for this decision
  std::string policy_digest;              ///< part of every entry's name
  bool record = false;  ///< verified attestations are added (creates; readers never)
  size_t hits = 0;      ///< verifications answered by the cache
  size_t added = 0;     ///< new verifications added (the caller Saves them)
};

/// Every attestation stored for `image`'s candidate digests, verified with `keys` (through
/// `session` when it holds a cache). Fails, naming the file, when the attestation or signature
/// store, or the index, cannot be read (fail closed: a broken store never reads as "no
/// attestation"), and with keys.parsed's error when the rule's keys are needed and do not
/// parse.
Result<std::vector<FoundAttestation>> CollectAttestations(const std::string& config_dir,
                                                          const ResolvedImage& image,
                                                          const AttestationKeys& keys,
                                                          AttestationCacheSession& session);

}  // namespace verified::attestation
