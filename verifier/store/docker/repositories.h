// Docker's tag store: <data-root>/image/overlay2/repositories.json
//   {"Repositories":{"alpine":{"alpine:3.20":"sha256:<id>","alpine@sha256:<m>":"sha256:<id>"}}}
#pragma once

#include <map>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::docker {

/// Normalised reference -> image ID, for every tag and digest reference Docker stores.
using TagMap = std::map<std::string, std::string>;

/// Parses repositories.json text. Entries that are not valid references or image IDs are a
/// kParse error (the file is written only by dockerd; garbage means tampering or corruption).
Result<TagMap> ParseRepositories(std::string_view text);

/// All normalised references that point at `image_id`, sorted.
std::vector<std::string> NamesFor(const TagMap& tags, const std::string& image_id);

}  // namespace verified::docker
