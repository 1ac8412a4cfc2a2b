// Reading JSON the way Go's encoding/json reads it, where the two readers could disagree.
//
// runc decodes config.json with encoding/json, which matches an object key to a struct field
// case-insensitively and lets a later duplicate key win (merging duplicated objects), while
// nlohmann::json keeps one of two duplicates and we look keys up exactly. A document where
// that difference matters is refused instead of being read one way and run another.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/json.h"
#include "verifier/core/result.h"

namespace verified {

/// The key as Go's encoding/json compares it with a struct field name: ASCII letters lowered,
/// U+212A KELVIN SIGN folded to 'k' and U+017F LATIN SMALL LETTER LONG S to 's', every other
/// byte kept. Two keys Go could decode into the same field have equal GoFoldKey.
std::string GoFoldKey(std::string_view key);

/// Renders `s` for an error message: printable ASCII kept, '"' and '\\' escaped, other bytes
/// and non-ASCII characters as \uXXXX / \xNN (so a Kelvin sign never passes for a 'K'); cut
/// after `max_chars` characters.
std::string QuoteJsonKey(std::string_view s, size_t max_chars = 64);

/// Parses `text` (one JSON value) as ParseJson does, in the same single pass failing with
/// kParse, naming `what` and the JSON pointer of the object, when any object has two keys with
/// equal GoFoldKey (exact duplicates included), or when any key or string value contains NUL
/// (U+0000); kTooLarge past `max_depth` levels; kParse on malformed JSON. Never throws.
Result<nlohmann::json> ParseJsonAsGo(std::string_view text, std::string_view what,
                                     size_t max_depth = kMaxJsonDepth);

/// ParseJsonAsGo without the document: scans `text` (one JSON value) and fails with kParse, naming
/// `what` and the JSON pointer of the object, when any object has two keys with equal GoFoldKey
/// (exact duplicates included), or when any key or string value contains NUL (U+0000); kTooLarge
/// past `max_depth` levels; kParse on malformed JSON. Never throws.
Status CheckGoJsonKeys(std::string_view text, std::string_view what,
                       size_t max_depth = kMaxJsonDepth);

}  // namespace verified
