// Strict standard base64 (RFC 4648 section 4, with padding) for signatures and payloads.
//
// Signature material is compared and cached by its text, so exactly one spelling of given
// bytes is accepted: no whitespace, no missing padding, and no non-zero bits in the unused
// low bits of the last character (RFC 4648 section 3.5, "canonical encoding"), which Go's
// encoding/base64 also refuses (StdEncoding.Strict is what sigstore's protojson reads).
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signature {

/// Decodes `text`, naming `what` in errors. kTooLarge when the text exceeds `max_chars`;
/// kParse when it is empty, its length is not a multiple of 4, it holds a character outside
/// the alphabet (whitespace included), padding appears anywhere but at the end, or the unused
/// bits before the padding are not zero.
Result<std::string> DecodeBase64Strict(std::string_view text, std::string_view what,
                                       size_t max_chars);

/// Encodes `bytes` as standard base64 with padding (the only spelling DecodeBase64Strict takes).
std::string EncodeBase64(std::string_view bytes);

}  // namespace verified::signature
