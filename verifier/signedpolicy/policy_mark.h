// The signed policy's high-water mark, <state-dir>/policy-version:
//
//   {"version": 4, "statement": "sha256:<hex>", "policy_keys": ["sha256:<hex>", ...]}
//
// The highest statement version this host has accepted, the digest of that statement, and the
// fingerprints of the policy keys it listed. A statement below `version` is a rollback; once a
// mark exists, only `policy_keys` may sign the next statement (they are the keys the accepted
// policy trusted: a key added to policy-keys/ becomes a signer only when a policy signed by
// one of them lists it). Kept in the state dir (verifier/config/state_dir.h), outside the
// config dir a rollback would replace.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::signedpolicy {

/// Largest mark file read.
inline constexpr size_t kMaxMarkBytes = 256 * 1024;

/// The file's name in the state dir.
inline constexpr const char* kMarkFileName = "policy-version";

/// A high-water mark.
struct PolicyMark {
  int64_t version = 0;
  std::string statement;                 ///< "sha256:<hex>" of the accepted statement
  std::vector<std::string> policy_keys;  ///< "sha256:<hex>" fingerprints, sorted
};

/// <state-dir>/policy-version.
std::string MarkPath(const std::string& state_dir);

/// Parses a mark strictly (duplicate keys, unknown or missing members, a version outside
/// 1..2^53-1, digests that are not "sha256:<64 hex>", more than 1000 keys: kParse; kTooLarge
/// beyond kMaxMarkBytes).
Result<PolicyMark> ParseMark(std::string_view text);

/// The mark as written (one JSON line).
std::string SerializeMark(const PolicyMark& mark);

/// The mark of `state_dir`: nullopt when the state dir or the file does not exist (nothing
/// accepted yet). A dir or file that is untrusted (kPermission), unreadable or malformed is an
/// error: the caller must refuse, never treat it as "no mark".
Result<std::optional<PolicyMark>> ReadMark(const std::string& state_dir);

/// Records `mark` as accepted unless the current mark is already at or above its version:
/// EnsureStateDir(state_dir, config_dir), then under <state-dir>/.lock re-reads the mark and
/// atomically replaces it (mode 0600). Returns the mark in force afterwards. Fails on any I/O
/// or trust error (the caller reports it; it never turns into accepting an older version).
Result<PolicyMark> RaiseMark(const std::string& state_dir, const std::string& config_dir,
                             const PolicyMark& mark);

}  // namespace verified::signedpolicy
