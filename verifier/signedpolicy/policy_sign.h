// Signing the policy (`verifiedctl policy sign`): hashes every covered file
// (covered_files.h), writes the next version's statement (policy_statement.h) and its detached
// signature, so that CheckSignedPolicy (signed_policy.h) accepts it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signedpolicy/policy_statement.h"

namespace verified::signedpolicy {

/// Validity when --expires is not given: 30 days.
inline constexpr int64_t kDefaultValiditySeconds = 30LL * 86400;
/// Longest validity accepted (10 years): a statement that never expires cannot be frozen out.
inline constexpr int64_t kMaxValiditySeconds = 3660LL * 86400;

/// --expires: a Go duration after `now` ("720h"; rounded up to whole seconds) or an RFC 3339
/// time. kInvalidArgument when the result is not after `now` or is more than
/// kMaxValiditySeconds after it; the parsers' errors for text that is neither.
Result<int64_t> ParseExpires(std::string_view text, int64_t now);

/// --grace: a Go duration of 0 to kMaxGraceSeconds, in whole seconds (rounded up).
Result<int64_t> ParseGrace(std::string_view text);

/// What to sign with.
struct SignRequest {
  std::string config_dir;
  std::string state_dir;        ///< its mark counts when choosing the next version
  std::string private_key_pem;  ///< the key file's bytes
  std::string key_file;         ///< for messages
  int64_t now = 0;
  int64_t expires = 0;
  int64_t grace_seconds = 0;
};

/// What was written.
struct SignResult {
  PolicyStatement statement;
  std::string signer;  ///< the policy key's name
};

/// Under the config dir's lock: hashes the covered files, takes the next version (one above
/// the highest of the statement on disk and the state dir's mark), writes policy.sig.json and
/// policy.sig atomically, each replaced whole. kInvalidArgument when the private key's public
/// half is not in policy-keys/ (or not among the keys the accepted version listed: the
/// runtime would refuse it), or when the timing is inconsistent; CollectCoveredFiles' errors;
/// I/O errors.
Result<SignResult> SignPolicy(const SignRequest& req);

}  // namespace verified::signedpolicy
