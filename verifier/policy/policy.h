// The host policy: <config-dir>/policy.json. See README "Policy reference".
//
//   {"version": 1, "mode": "enforce", "default": "deny",
//    "baseline": {"protect_host": true},
//    "rules": [{"name": "company", "match": "my_company/*", "action": "allow",
//               "require": {"registered": true, "base": "alpine:3.20"}},
//              {"regex": "^malicious_repo/.*", "action": "deny"}]}
//
// Rules are tried in order; the first whose pattern matches one of the image's names decides.
// Unknown keys are errors: a typo in a security policy must not silently weaken it.
#pragma once

#include <string>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"
#include "verifier/image/pattern.h"

namespace verified {

/// enforce: refusals stop the container. audit: the same verdict is logged, the container runs.
enum class Mode { kEnforce, kAudit };
/// What a rule (or the default) does with a matching image.
enum class Action { kAllow, kDeny };

/// One ordered rule.
struct Rule {
  size_t index = 0;  ///< 1-based position in the policy
  std::string name;  ///< optional label
  ImagePattern pattern;
  Action action = Action::kAllow;
  std::vector<RequirementPtr> requirements;  ///< only for allow rules

  /// "rule 2 'my_company/*'" (with the label when there is one).
  std::string Describe() const;
};

/// A parsed, validated policy.
struct Policy {
  Mode mode = Mode::kEnforce;
  Action default_action = Action::kDeny;
  std::vector<RequirementPtr> baseline;  ///< applied to every container, whatever rule matched
  std::vector<Rule> rules;
  std::string digest;  ///< "sha256:..." of the file bytes, for the decision log
};

/// Largest policy file accepted, and most rules.
inline constexpr size_t kMaxPolicyBytes = 4u << 20;
inline constexpr size_t kMaxRules = 10000;

/// Parses policy text. Every error names the rule and key at fault.
Result<Policy> ParsePolicy(std::string_view text);

/// Text for a mode / action ("enforce", "allow", ...).
const char* ModeName(Mode m);
const char* ActionName(Action a);

}  // namespace verified
