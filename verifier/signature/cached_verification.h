// Signature verification through the verification cache (verification_cache.h): a create
// decision skips the public-key operation for a record it verified before under the same key
// set and policy, and records each new success. Only the verification of the record's material
// is cached: the caller still proves the signed digest down to the image (signature_chain.h)
// and checks the identity at every decision.
//
// A hit stands for VerifySignatureRecord's success because the entry's name binds everything
// that success depended on: the record id (a hash of the format and the exact material: the
// signed payload bytes or bundle, and the signature), the digest the record is stored for (the
// one the signed claims were checked to name), the rule's key set by fingerprint and the policy
// digest. The claims returned on a hit (the docker-reference) are parsed again from those same
// bytes, never taken from the cache file.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/public_key.h"
#include "verifier/signature/signature_record.h"
#include "verifier/signature/verification_cache.h"

namespace verified::signature {

/// The cache as one decision uses it.
struct CacheSession {
  /// The loaded cache; nullopt = no cache for this decision (no state dir given).
  std::optional<VerificationCache> cache;
  std::string policy_digest;  ///< Policy::digest, part of every entry's name
  bool record = false;        ///< successes are added (the runtime and the hook; readers never)
  size_t hits = 0;            ///< verifications answered by the cache
  size_t added = 0;           ///< new successes added (Save writes them)
};

/// The rule's keys as a decision needs them: by fingerprint for cache lookups, parsed only
/// when a verification has to run (parsing costs OpenSSL's set-up, ~0.5 ms per process).
struct RuleKeys {
  std::vector<KeyFingerprint> ids;  ///< the rule's keys, by fingerprint (LoadKeyFingerprint)
  /// The keys parsed (the caller parses once and memoises): an error fails the verification.
  std::function<Result<const std::vector<PublicKey>*>()> parsed;
};

/// Verifies `record` with the rule's keys as VerifySignatureRecord does, first looking it up
/// in session.cache by the keys' fingerprints (a hit counts in session.hits and returns the
/// key that verified it, with the claims parsed from the record's bytes; no key is parsed); on
/// a miss parses the keys, verifies fully and, when session.record, adds the success. Failures
/// (a key that does not parse included) are returned and never added. Never fails because of
/// the cache: an entry whose claims cannot be parsed again is treated as a miss. A hit needs
/// no parse because the entry's name binds the exact DER of every key (its fingerprint), and
/// those bytes parsed when the entry was added.
Result<VerifiedSignature> VerifyThroughCache(const SignatureRecord& record, const RuleKeys& keys,
                                             CacheSession& session);

}  // namespace verified::signature
