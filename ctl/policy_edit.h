// Editing <config-dir>/policy.json safely: under the config dir's lock, validated before it
// is written, replaced atomically so the runtime never reads half a file. Hand-written keys
// and key order survive edits.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "verifier/core/result.h"

namespace verified::ctl {

/// The policy a new host starts with: enforce, default deny, no rules.
nlohmann::ordered_json DefaultPolicyDoc();

/// Loads the policy document (DefaultPolicyDoc when the file is missing), applies `edit`,
/// validates the result with the runtime's own parser and writes it. Nothing is written when
/// `edit` or validation fails.
Status EditPolicy(const std::string& config_dir,
                  const std::function<Status(nlohmann::ordered_json&)>& edit);

/// True when the rule object `rule` has the pattern `pattern` (a regex when `regex`). Globs are
/// compared in their normalised form, as they are matched ("EVIL.IO/*" is "evil.io/*",
/// "index.docker.io/app" is "app"), so `policy allow`/`deny` replace and `policy remove` finds
/// a rule however its registry was spelt; policy.json keeps the pattern as written. Regexes
/// are compared as written.
bool RuleHasPattern(const nlohmann::ordered_json& rule, const std::string& pattern, bool regex);

/// Converts a command-line requirement "NAME" or "NAME=VALUE" into (name, JSON value): no
/// value means true; a value that is valid JSON (30, false, ["a"]) is used as such; anything
/// else is a string.
std::pair<std::string, nlohmann::ordered_json> ParseRequireArg(const std::string& arg);

}  // namespace verified::ctl
