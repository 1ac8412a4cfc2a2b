// A signature's whole chain at create, cached for a record the signature store keeps: the
// record file's bytes, verified with one of the rule's keys, signing manifest digest M, whose
// manifest names the image's config, with the claims the rule's identity looked at.
//
// The entry (in the verification cache's file, verification_cache.h) is named by a SHA-256
// over everything that outcome depended on: the record file's name and the SHA-256 of its
// bytes (so the record need not be parsed again: a changed byte misses), M, the image ID the
// manifest named, the rule's key set by fingerprint, the policy digest, the rule's
// signed_identity, the record's format and, for a simple-signing record under repository
// identity, the repository it was signed for. A lookup computes the name from what holds now
// (the file's bytes hashed now, the image ID the store proved now, the keys' files and policy
// as they are now; the repositories the store records for the image now, one name each), so a
// hit says nothing the decision has not re-established except what is a function of those
// hashed bytes: that they parse, that a key of the set verifies them, and that the manifest
// with digest M names that config. The caller still reads the manifest bytes and checks they
// hash to M at every decision (the engine's and the store's files can change).
//
// Only successes through a plain manifest are added (an index's link runs through other files
// the engine keeps, proven at every decision); failures never.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/signature_record.h"
#include "verifier/signature/verification_cache.h"

namespace verified::signature {

/// What a cached chain depended on.
struct ChainKey {
  std::string record_file;      ///< the record's file name in the store ("<id>.json")
  std::string record_sha256;    ///< lowercase hex SHA-256 of the file's bytes
  std::string manifest_digest;  ///< the digest it is stored and signed for
  std::string image_id;         ///< the config digest its manifest names (the image ID)
  std::vector<std::string> key_fingerprints;  ///< the rule's keys (any order)
  std::string policy_digest;                  ///< Policy::digest
  std::string identity;                       ///< the rule's signed_identity name
  SignatureFormat format = SignatureFormat::kSimpleSigning;
  /// A simple-signing record under repository identity: the repository it was signed for
  /// (normalised); "" otherwise (not looked at).
  std::string repository;
};

/// The entry name for `key`: lowercase hex SHA-256 over a scheme tag and its members, each
/// length-prefixed, fingerprints sorted. Never equal to a VerificationCacheName (the first
/// member differs in length).
std::string ChainCacheName(const ChainKey& key);

/// A cached chain found.
struct ChainHit {
  std::string key_name;     ///< the rule's key that verified the record
  std::string fingerprint;  ///< its fingerprint
  SignatureFormat format = SignatureFormat::kSimpleSigning;
  std::string repository;  ///< as in ChainKey
};

/// Looks `key` (format and repository ignored) up in `cache` for each claim it could have
/// been cached with: a bundle; a simple-signing record under digest identity; under repository
/// identity, a simple-signing record signed for each of `repositories`. A hit names a key of
/// `keys` (by fingerprint); nullopt when none.
std::optional<ChainHit> FindCachedChain(const VerificationCache& cache, ChainKey key,
                                        const std::vector<KeyFingerprint>& keys,
                                        const std::set<std::string>& repositories);

/// Adds a success (VerificationCache::AddName): kInvalidArgument when `fingerprint` is not in
/// key.key_fingerprints.
Status AddCachedChain(VerificationCache& cache, const ChainKey& key,
                      const std::string& fingerprint);

}  // namespace verified::signature
