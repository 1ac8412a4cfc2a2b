// The signed policy statement, <config-dir>/policy.sig.json: what `verifiedctl policy sign`
// signs and the runtime checks at every create once <config-dir>/policy-keys/ holds a key.
//
//   {
//     "type": "verified.dev/policy-statement/v1",
//     "version": 4,                               monotonic: never below what a host accepted
//     "signed_at": "2026-12-07T17:00:00Z",
//     "expires": "2027-01-06T17:00:00Z",          after it (plus grace) every create is refused
//     "grace_seconds": 0,                         warn-only window after expires
//     "key": "sha256:<hex>",                      SHA-256 of the signer's DER SubjectPublicKeyInfo
//     "files": { "policy.json": "sha256:<hex>", "images/by-name/<x>.json": "sha256:<hex>", ... }
//   }
//
// The detached signature (<config-dir>/policy.sig, base64) is over the statement file's exact
// bytes; the bytes are never re-serialised before verification.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signedpolicy {

/// The statement's "type".
inline constexpr const char* kStatementType = "verified.dev/policy-statement/v1";
/// Largest statement file read (about 100 bytes per covered file: room for ~100,000 files).
inline constexpr size_t kMaxStatementBytes = 16u << 20;
/// Most covered files one statement may list.
inline constexpr size_t kMaxStatementFiles = 100000;
/// Largest version (JSON integers beyond 2^53 do not survive every JSON tool).
inline constexpr int64_t kMaxVersion = (int64_t{1} << 53) - 1;
/// Longest grace period (one year).
inline constexpr int64_t kMaxGraceSeconds = 366LL * 86400;

/// A parsed statement. Times are Unix seconds (UTC).
struct PolicyStatement {
  int64_t version = 0;
  int64_t signed_at = 0;
  int64_t expires = 0;
  int64_t grace_seconds = 0;
  std::string key;  ///< "sha256:<hex>" fingerprint of the signing key
  /// Covered file (relative to the config dir) -> "sha256:<hex>" of its bytes, sorted.
  std::map<std::string, std::string> files;
};

/// The statement as signed: pretty JSON (2-space indent), members in the order above, a
/// trailing newline. Deterministic for equal statements.
std::string SerializeStatement(const PolicyStatement& s);

/// Parses statement bytes strictly: kTooLarge beyond kMaxStatementBytes or kMaxStatementFiles;
/// kParse for malformed JSON, duplicate (or case-folded duplicate) keys, a member missing or
/// unknown, another type, version outside 1..kMaxVersion, times that are not RFC 3339 or
/// expires not after signed_at, grace_seconds outside 0..kMaxGraceSeconds, a key or file digest
/// that is not "sha256:" + 64 lowercase hex, a file path that is not a covered path
/// (IsCoveredPath) or lacks policy.json.
Result<PolicyStatement> ParseStatement(std::string_view bytes);

/// True for the paths a statement may list: "policy.json", and relative paths under images/,
/// keys/ or policy-keys/ made of plain components (no "", ".", ".." or NUL, at most 4096 bytes).
bool IsCoveredPath(std::string_view path);

}  // namespace verified::signedpolicy
