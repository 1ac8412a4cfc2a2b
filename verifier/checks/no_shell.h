// Requirement "no_shell": the image's merged layers contain no shell (see
// verifier/content/shell_scan.h for exactly what is and is not caught). The refusal lists
// where each shell was found.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false = not required), or a list of interpreter names also treated as shells
/// (["python", "perl", "node"]; each 1-64 characters of [A-Za-z0-9._+-]).
Result<RequirementPtr> MakeNoShell(const nlohmann::json& value);

}  // namespace verified
