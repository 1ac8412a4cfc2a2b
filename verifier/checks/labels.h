// Requirement "labels": the image config carries required labels (config.Labels), e.g. a
// maintainer or a scan result ("security.scan": "passed", seed 002). Evaluated on the image.
#pragma once

#include <map>
#include <optional>
#include <string>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: a list of label names that must be present (["maintainer"]), a single name, or an
/// object of name -> required value, where true or null means any value
/// ({"maintainer": true, "security.scan": "passed"}).
Result<RequirementPtr> MakeLabels(const nlohmann::json& value);

}  // namespace verified
