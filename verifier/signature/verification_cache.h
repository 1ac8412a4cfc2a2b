// A cache of successful signature verifications, so that a create decision need not run the
// public-key operation again for a signature it verified before.
//
// An entry says: the signature record with this id, stored for this manifest digest, verified
// with one of exactly these keys (by fingerprint) under exactly this policy (by digest); it
// keeps the fingerprint of the key that verified it. The entry's name is a SHA-256 over all
// four, so a change to any of them (a key added or removed from the rule, the policy edited,
// another signature) misses. The record id is part of the name, beyond (digest, keys, policy),
// because a hit lets the caller read the record's claims (its docker-reference) without
// verifying them again: they must be the bytes that were verified. Only successes are cached;
// a failure is always re-checked.
//
// The file (<dir>/signature-verifications, written by root, mode 0600) is trusted only as far
// as its entries' names go: a hit must name a fingerprint in the key set hashed into the name.
// A file that is missing, not root-owned (or the effective user's), writable by others, a
// symlink, oversized or malformed in any line is ignored as a whole (an empty cache), never
// an error: the cost of a bad cache is one verification. Writes replace the file atomically;
// two concurrent writers may lose each other's new entries (a cache, not a record). The cache
// is bounded: beyond kMaxVerificationCacheEntries the oldest entries are dropped.
//
// Nothing here is wired into the runtime: the caller chooses the directory (a state
// directory, never the config dir a rollback would replace).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "verifier//core/result.h"
#include "verifier/fs/deferred_writes.h"

namespace verified::signature {

/// Most entries kept (about 130 bytes each).
inline constexpr size_t kMaxVerificationCacheEntries = 4096;

/// The file's name in the caller's directory.
inline constexpr const char* kVerificationCacheFile = "signature-verifications";

/// What a verification depended on.
struct VerificationKey {
  std::string record_id;                      ///< SignatureRecordId of the record
  std::string manifest_digest;                ///< the digest it is stored and signed for
  std::vector<std::string> key_fingerprints;  ///< the rule's keys (any order)
  std::string policy_digest;                  ///< Policy::digest
};

/// The entry name for `key`: lowercase hex SHA-256 over its members, each length-prefixed,
/// fingerprints sorted (the key set, not its order).
std::string VerificationCacheName(const VerificationKey& key);

/// The cached successes of one directory.
class VerificationCache {
 public:
  /// Reads <dir>/signature-verifications. Never fails: anything but a well-formed, trusted file
  /// gives an empty cache (ignored_reason() says why, for diagnostics).
  static VerificationCache Load(const std::string& dir);

  /// The fingerprint of the key that verified the record, when `key` was cached and that
  /// fingerprint is one of key.key_fingerprints; nullopt otherwise.
  std::optional<std::string> Find(const VerificationKey& key) const;

  /// Records a success (in memory; Save writes it). `fingerprint` must be one of
  /// key.key_fingerprints (kInvalidArgument otherwise: a cache must not say more than was
  /// proven). Drops the oldest entry beyond kMaxVerificationCacheEntries.
  Status Add(const VerificationKey& key, const std::string& fingerprint);

  /// Find and Add for an entry named by another scheme (cached_chain.h ChainCacheName): the
  /// same rules, `fingerprints` being the key set hashed into `name`.
  std::optional<std::string> FindName(const std::string& name,
                                      const std::vector<std::string>& fingerprints) const;
  Status AddName(std::string name, const std::vector<std::string>& fingerprints,
                 const std::string& fingerprint);

  /// Writes the cache to <dir>/signature-verifications atomically, mode 0600. `dir` must exist.
  /// With `defer` set the write is only recorded there.
  Status Save(const std::string& dir, DeferredWrites* defer = nullptr) const;

  size_t size() const { return entries_.size(); }
  /// Why Load ignored the file ("" when it used it or there was none).
  const std::string& ignored_reason() const { return ignored_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // (name, fingerprint), oldest first
  std::string ignored_;
};

}  // namespace verified::signature
