// The attestations that speak for an image at create: those stored (attestation_store.h) for
// the image's candidate manifest digests (the same candidates as signatures,
// signature/signature_candidates.h: the manifests the engine keeps, and the stored manifests
// indexed under the image ID), each verified with the given keys only
// (attestation_bundle.h), its Statement's subjects required to name the digest it is stored
// for, and that digest proven down to the image by the signatures' chain
// (signature/signature_chain.h: manifest bytes hashing to it, naming config = the image ID).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/core/result.h"
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
};

/// Every attestation stored for `image`'s candidate digests, verified with `keys`. When none of
/// `keys` verifies one, `all_keys` (the host's other trusted keys) are tried only to say who
/// signed it. Fails, naming the file, when the attestation or signature store, or the index,
/// cannot be read (fail closed: a broken store never reads as "no attestation").
Result<std::vector<FoundAttestation>> CollectAttestations(
    const std::string& config_dir, const ResolvedImage& image,
    const std::vector<signature::PublicKey>& keys,
    const std::vector<signature::PublicKey>& all_keys);

}  // namespace verified::attestation
