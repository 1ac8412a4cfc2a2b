// Standard base64 (RFC 4648, with padding), the encoding Go's encoding/json uses for []byte.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::content {

/// Decodes `in` and appends the bytes to `out`. Fails with kParse on a character outside the
/// alphabet, a length that is not a multiple of 4, or misplaced padding.
Status Base64DecodeAppend(std::string_view in, std::string& out);

/// Encodes `in` (used by tests and fixtures).
std::string Base64Encode(std::string_view in);

}  // namespace verified::content
