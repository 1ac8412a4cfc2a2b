// The policy requirements of the signature rule, as written in policy.json:
//
//   {"match": "registry.example/app/*", "action": "allow",
//    "require": {"signed_by": ["ci", "release"], "signatures": 2,
//                "signed_identity": "repository"}}
//
// `signed_by=KEY[,KEY...]`: names of keys in <config-dir>/keys (a JSON list, or one string
// with commas as `--require signed_by=ci,release` writes it). `signatures=N` (default 1): N
// valid signatures by N distinct listed keys. `signed_identity=repository|digest` (default
// repository): with repository, a simple-signing signature counts only when the repository it
// names is one the store records for the image. The last two only qualify signed_by: a rule
// (or the baseline) with one of them and no signed_by is a policy error, and the three are
// combined into one requirement (CombineSignatureRequirements) evaluated by signed_by.h.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// What a signed image must show.
enum class SignedIdentity { kRepository, kDigest };

/// "repository" or "digest".
const char* SignedIdentityName(SignedIdentity identity);

/// The combined signature rule.
struct SignatureRule {
  std::vector<std::string> keys;  ///< key names, each once, as listed
  size_t count = 1;               ///< valid signatures needed, by distinct keys
  SignedIdentity identity = SignedIdentity::kRepository;
};

/// Most keys one rule may name.
inline constexpr size_t kMaxSignedByKeys = 64;

/// Value of signed_by: a non-empty list of key names or a string of comma-separated names
/// (each checked by signature::CheckKeyName, at most kMaxSignedByKeys, no repeats).
/// kInvalidArgument saying what it takes otherwise. Whether the keys exist is checked where the
/// config dir is known (verifier/policy/policy_keys.h).
Result<RequirementPtr> MakeSignedBy(const nlohmann::json& value);

/// Value of signatures: an integer 1..kMaxSignedByKeys.
Result<RequirementPtr> MakeSignatures(const nlohmann::json& value);

/// Value of signed_identity: "repository" or "digest".
Result<RequirementPtr> MakeSignedIdentity(const nlohmann::json& value);

/// Replaces the signed_by, signatures and signed_identity requirements of one rule (or the
/// baseline) by one signed_by requirement carrying all three (signed_by.h), in signed_by's
/// place; other requirements are kept in order. kInvalidArgument when signatures or
/// signed_identity come without signed_by, or signatures exceeds the number of keys listed
/// (it could never pass).
Result<std::vector<RequirementPtr>> CombineSignatureRequirements(std::vector<RequirementPtr> reqs);

/// The key names a (combined or not) signed_by requirement names; empty for any other.
std::vector<std::string> SignedByKeys(const Requirement& req);

}  // namespace verified
