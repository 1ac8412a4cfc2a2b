// Bounded JSON parsing for untrusted bytes.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified {

/// Maximum nesting accepted in any JSON document we read. nlohmann's parser recurses once per
/// level, so unbounded depth would let a crafted file exhaust the stack.
inline constexpr size_t kMaxJsonDepth = 64;

/// Parses `text` as one JSON value. Fails with kTooLarge when nesting exceeds `max_depth`,
/// kParse (naming `what` and the parser's position) on any syntax error. Never throws.
Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what,
                                 size_t max_depth = kMaxJsonDepth);

/// Same, preserving object key order (for files we rewrite for people, like daemon.json).
Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, std::string_view what,
                                                size_t max_depth = kMaxJsonDepth);

/// Returns j[key] as a string when present and a string, otherwise "" (absent) or a kParse
/// error (present with another type), naming `what`.
Result<std::string> OptionalString(const nlohmann::json& j, std::string_view key,
                                   std::string_view what);

/// Walks nested objects by key; nullptr when any step is missing or not an object.
const nlohmann::json* JsonAt(const nlohmann::json& j, std::initializer_list<std::string_view> path);

/// The string at `path`, or "" when absent or not a string. For documents from trusted
/// engine APIs where a missing field simply means "unknown".
std::string JsonString(const nlohmann::json& j, std::initializer_list<std::string_view> path);

/// The boolean at `path`, or false.
bool JsonBool(const nlohmann::json& j, std::initializer_list<std::string_view> path);

/// The integer at `path`, or `fallback`.
int64_t JsonInt(const nlohmann::json& j, std::initializer_list<std::string_view> path,
                int64_t fallback = 0);

}  // namespace verified
