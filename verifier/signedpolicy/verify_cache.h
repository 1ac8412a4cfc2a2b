// The signed policy's verification cache, <state-dir>/policy-verified: one line
//
//   v1 sha256:<statement> sha256:<signature> sha256:<key>
//
// saying "the signature whose decoded bytes hash to <signature> verified the statement whose
// bytes hash to <statement> with the policy key whose fingerprint is <key>". A create whose
// statement and signature hash to the recorded digests, and whose recorded key is still among
// the keys allowed to sign (verifier/signedpolicy/signed_policy.cpp, Anchored), skips the ECDSA
// verification; every other check (covered files, rollback, expiry against the clock, the
// statement's key) runs as before. The record binds exactly what a verification binds, so it
// proves nothing about any other statement, signature or key. It lives in the state dir, which
// only root may write (as the high-water mark next to it); root is out of scope.
#pragma once

#include <string>
#include <string_view>

#include "verifier//core/result.h"
#include "verifier/fs/deferred_writes.h"

namespace verified::signedpolicy {

/// The file's name in the state dir.
inline constexpr const char* kVerifyCacheFileName = "policy-verified";

/// Largest cache file read.
inline constexpr size_t kMaxVerifyCacheBytes = 512;

/// What one successful verification proved.
struct VerifiedSignature {
  std::string statement;  ///< "sha256:<hex>" of the statement bytes
  std::string signature;  ///< "sha256:<hex>" of the decoded signature bytes
  std::string key;        ///< "sha256:<hex>" fingerprint of the key that verified it
};

/// <state-dir>/policy-verified.
std::string VerifyCachePath(const std::string& state_dir);

/// Parses one record strictly ("v1" and three "sha256:<64 hex>" separated by single spaces, one
/// trailing newline): kParse otherwise, kTooLarge beyond kMaxVerifyCacheBytes.
Result<VerifiedSignature> ParseVerifyCache(std::string_view text);

/// The record as written.
std::string SerializeVerifyCache(const VerifiedSignature& v);

/// The record of `state_dir`, read through the trust check of policy.json (root-owned, not
/// writable by group or others, no symlink). Any error (missing, untrusted, malformed) is
/// returned: the caller treats it as a miss and verifies, never as a pass.
Result<VerifiedSignature> ReadVerifyCache(const std::string& state_dir);

/// Replaces the record (EnsureStateDir, atomic write, mode 0600), or only records that write
/// in `defer` when it is set. A failure only means the next check verifies again.
Status WriteVerifyCache(const std::string& state_dir, const std::string& config_dir,
                        const VerifiedSignature& v, DeferredWrites* defer = nullptr);

}  // namespace verified::signedpolicy
