// Requirement "no_secrets_in_env": no environment variable looks like a secret.
//
// Checked in the image config's Env (secrets baked into the image, seed 002's
// `ENV API_KEY=sk_live_...`) and in the process env of the OCI spec the runtime received
// (`docker run -e DB_PASSWORD=...`). A variable is refused when its name matches a name
// pattern (case-insensitive) or its value matches a value pattern, unless its name matches an
// allow pattern. Patterns are globs over the whole string where `*` is any run of characters.
//
// A value is never copied into a finding, a message or a log line: findings name the variable
// and the pattern only.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (the default patterns), or an object with any of "names", "values", "allow"
/// (lists of patterns; each list given replaces that list's defaults).
Result<RequirementPtr> MakeNoSecretsInEnv(const nlohmann::json& value);

/// Default patterns, documented in docs/audit-and-rules.md.
const std::vector<std::string>& DefaultSecretNamePatterns();
const std::vector<std::string>& DefaultSecretValuePatterns();
const std::vector<std::string>& DefaultSecretAllowPatterns();

/// Whole-string glob match, `*` = any run of characters (including none), no other
/// metacharacters. Linear-space and iterative, so untrusted multi-megabyte values cannot
/// exhaust the stack. `fold_case` compares ASCII letters case-insensitively.
bool WildcardMatch(std::string_view pattern, std::string_view text, bool fold_case);

}  // namespace verified
