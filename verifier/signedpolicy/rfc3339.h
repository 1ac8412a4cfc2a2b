// RFC 3339 times for signed policy statements: parsed strictly, written in UTC with seconds.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signedpolicy {

/// Parses `YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)` (RFC 3339 section 5.6, upper case
/// T and Z, years 1970..9999, calendar-valid dates, no leap second) into Unix seconds (the
/// fraction is dropped: statements are to the second). kParse naming the text otherwise;
/// kTooLarge beyond 64 characters.
Result<int64_t> ParseRfc3339(std::string_view text);

/// "2027-01-01T00:00:00Z" for Unix seconds `t` (0 <= t < year 10000).
std::string FormatRfc3339(int64_t t);

}  // namespace verified::signedpolicy
