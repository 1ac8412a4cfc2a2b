// Requirement "max_age_days": the image was created at most N days ago, by the "created"
// time of its (hash-verified) image config (seed 002: "Image is 45 days old (max: 30)"). An
// image without a creation time, or created more than a day in the future, is refused.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: a whole number of days, 1 to 36500.
Result<RequirementPtr> MakeMaxAgeDays(const nlohmann::json& value);

/// Parses an RFC 3339 timestamp ("2024-05-01T10:00:00.123456789Z", "...+02:00") to Unix
/// seconds. nullopt when malformed.
std::optional<int64_t> ParseRfc3339(std::string_view text);

}  // namespace verified
