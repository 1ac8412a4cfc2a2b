// Docker's tag store: <data-root>/image/overlay2/repositories.json
//   {"Repositories":{"alpine":{"alpine:3.20":"sha256:<id>","alpine@sha256:<m>":"sha256:<id>"}}}
#pragma once

#include <map>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::docker {

/// Normalised reference -> image ID, for every tag and digest reference Docker stores. A
/// multimap: Docker compares names case-sensitively, so "EVIL.IO/x:1" and "evil.io/x:1" may
/// name two images; normalised they are one name, and neither image may lose it.
using TagMap = std::multimap<std::string, std::string>;

/// True when `ref` (normalised) names `image_id`, in any of its stored spellings.
bool NamesImage(const TagMap& tags, const std::string& ref, const std::string& image_id);

/// Parses repositories.json text. Entries that are not valid references or image IDs are a
/// kParse error (the file is written only by dockerd; garbage means tampering or corruption).
Result<TagMap> ParseRepositories(std::string_view text);

/// All normalised references that point at `image_id`, sorted, without duplicates.
std::vector<std::string> NamesFor(const TagMap& tags, const std::string& image_id);

}  // namespace verified::docker
