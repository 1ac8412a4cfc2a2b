// Standard base64 (RFC 4648 section 4, with padding): the encoding Go's encoding/json uses for
// []byte (tar-split's payloads) and sigstore uses for signatures and payloads.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified {

/// Decodes `in` and appends the bytes to `out`. kParse on a character outside the alphabet
/// (whitespace included), a length that is not a multiple of 4, or padding anywhere but in the
/// last quantum. Accepts non-zero unused bits before the padding, as Go's StdEncoding does
/// (tar-split files are written by Go).
Status Base64DecodeAppend(std::string_view in, std::string& out);

/// Decodes `text` strictly, naming `what` in errors: exactly one spelling of given bytes is
/// accepted (signature material is compared and cached by its text), so besides
/// Base64DecodeAppend's errors, kParse when the text is empty or the unused bits before the
/// padding are not zero (RFC 4648 section 3.5, as Go's StdEncoding.Strict, which sigstore's
/// protojson reads); kTooLarge when it exceeds `max_chars`.
Result<std::string> Base64DecodeStrict(std::string_view text, std::string_view what,
                                       size_t max_chars);

/// Encodes `in` with padding (the canonical spelling Base64DecodeStrict takes).
std::string Base64Encode(std::string_view in);

}  // namespace verified
