// Requirement "healthcheck": the image config declares a HEALTHCHECK (config.Healthcheck.Test
// non-empty and not ["NONE"]). Evaluated on the image alone.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false: not required).
Result<RequirementPtr> MakeHealthcheck(const nlohmann::json& value);

}  // namespace verified
