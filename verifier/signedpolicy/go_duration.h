// Durations as Go writes and parses them (time.ParseDuration): "720h", "90m", "1h30m",
// "1.5h", "300ms". `verifiedctl policy sign --expires/--grace` take them, so a CI job can pass
// the same value it gives Go tools.
#pragma once

#include <cstdint>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signedpolicy {

/// Longest duration text accepted (Go's longest meaningful spelling is far shorter).
inline constexpr size_t kMaxDurationText = 64;

/// Parses Go's duration grammar, `[-+]?([0-9]*(\.[0-9]*)?(ns|us|µs|μs|ms|s|m|h))+` or a lone
/// "0", into nanoseconds (as Go's time.Duration, src/time/format.go ParseDuration). kParse for
/// an empty text, a missing or unknown unit, a number without digits, anything else;
/// kTooLarge when the text exceeds kMaxDurationText or the value overflows int64 nanoseconds
/// (about 292 years), as Go's "invalid duration" does.
Result<int64_t> ParseGoDuration(std::string_view text);

}  // namespace verified::signedpolicy
