// The catalog of requirement names a policy may use.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Builds the requirement `name` from its policy value. Fails with kInvalidArgument for an
/// unknown name or a value the requirement does not accept (the message says what it takes).
Result<RequirementPtr> MakeRequirement(const std::string& name, const nlohmann::json& value);

/// Names of every known requirement, sorted (for help and lint messages).
std::vector<std::string> RequirementNames();

}  // namespace verified
