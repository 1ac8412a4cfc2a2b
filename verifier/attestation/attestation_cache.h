// A cache of verified attestations, so that a create decision neither verifies the DSSE
// signature of an attestation it verified before nor parses its predicate again (a Trivy
// report of several MiB costs about 0.5 s to verify and parse).
//
// An entry says: the bundle file stored with this id (the hex sha256 of its bytes, which the
// store checked when they were read), stored for this manifest digest, with exactly this stat
// identity (device, inode, size, mtime, ctime: the file whose bytes were read and hashed),
// verified with one of exactly these keys (by fingerprint) under exactly this policy (by
// digest), by the key with this fingerprint, said this (cached_attestation.h). The entry's
// name is a SHA-256 over the id, digest, key set and policy digest, so a change to any misses;
// its stat identity must match the file as it is now, so a file replaced or rewritten in place
// (even with the same name) misses: its ctime changes with every write, and no call can set a
// ctime back. A file changed less than signedpolicy::kRacyNs before it was read is not cached
// (a later write in the same clock tick could keep its ctime: "racy git").
//
// What a hit does not vouch for, the caller checks at every decision: the file still listed
// and trusted (lstat), the Statement's subject naming the digest, and that digest proven down
// to the image (signature/signature_chain.h); the verdict itself (counts against the limits,
// the scan's age against today) is computed each time from the cached summary.
//
// The file (<state-dir>/attestation-verifications, root-owned, mode 0600, written atomically by
// creates only) is
//
//   verified attestation verifications v1\n
//   <64 hex name> <entry JSON>\n        (one line per entry, oldest first)
//
// A file that is missing, not root-owned (or the effective user's), writable by others, a
// symlink, oversized, or not made of such lines (a truncated last line included) is ignored as
// a whole: an empty cache, never an error and never an allow. An entry that does not parse is
// a miss. Only verified attestations are ever added; failures are re-checked every time.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "verifier/attestation/cached_attestation.h"
#include "verifier/core/result.h"

namespace verified::attestation {

/// Most entries kept; beyond it the oldest are dropped.
inline constexpr size_t kMaxAttestationCacheEntries = 512;
/// The file's name in the state dir.
inline constexpr const char* kAttestationCacheFile = "attestation-verifications";

/// What a verification depended on.
struct AttestationCacheKey {
  std::string attestation_id;                 ///< the stored bundle's id (hex sha256)
  std::string digest;                         ///< the digest it is stored for
  std::vector<std::string> key_fingerprints;  ///< the rule's keys (any order)
  std::string policy_digest;                  ///< Policy::digest
};

/// The entry name for `key`: lowercase hex SHA-256 over a format version and its members, each
/// length-prefixed, fingerprints sorted.
std::string AttestationCacheName(const AttestationCacheKey& key);

/// The verified attestations of one state dir.
class AttestationCache {
 public:
  /// Reads <dir>/attestation-verifications. Never fails: anything but a well-formed, trusted
  /// file gives an empty cache (ignored_reason() says why).
  static AttestationCache Load(const std::string& dir);

  /// Parses the text of a cache file (what Load does after reading it); nullopt when it is not
  /// one as Save writes it. Entries' JSON is parsed only by Find.
  static std::optional<AttestationCache> Parse(std::string_view text);

  /// The attestation cached for `key` when its entry parses, names the bundle file with
  /// identity `file` and a key fingerprint in key.key_fingerprints; nullopt otherwise (a
  /// miss). The result's key_name is empty.
  std::optional<VerifiedAttestation> Find(const AttestationCacheKey& key,
                                          const signedpolicy::FileStamp& file) const;

  /// Records a verified attestation read from the file with identity `file` (in memory; Save
  /// writes it). kInvalidArgument when its key fingerprint is not in key.key_fingerprints (a
  /// cache must not say more than was proven); kTooLarge when its entry would exceed
  /// kMaxCachedAttestationBytes. Drops the oldest entry beyond kMaxAttestationCacheEntries.
  Status Add(const AttestationCacheKey& key, const signedpolicy::FileStamp& file,
             const VerifiedAttestation& attestation);

  /// Writes the cache to <dir>/attestation-verifications atomically, mode 0600.
  Status Save(const std::string& dir) const;

  size_t size() const { return entries_.size(); }
  /// Why Load ignored the file ("" when it used it or there was none).
  const std::string& ignored_reason() const { return ignored_; }

 private:
  std::vector<std::pair<std::string, std::string>> entries_;  // (name, entry JSON), oldest first
  std::string ignored_;
};

}  // namespace verified::attestation
