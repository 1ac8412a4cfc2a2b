#include "verifier/store/docker/repositories.h"

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified::docker {

Result<TagMap> ParseRepositories(std::string_view text) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "repositories.json"));
  TagMap tags;
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "repositories.json is not an object");
  auto repos = j.find("Repositories");
  if (repos == j.end() || repos->is_null()) return tags;
  if (!repos->is_object()) {
    return MakeError(ErrorKind::kParse, "repositories.json: Repositories is not an object");
  }
  for (const auto& [repo, refs] : repos->items()) {
    if (!refs.is_object()) {
      return MakeError(ErrorKind::kParse, "repositories.json: entry '{}' is not an object", repo);
    }
    for (const auto& [ref_text, id] : refs.items()) {
      if (!id.is_string() || !IsSha256Digest(id.get<std::string>())) {
        return MakeError(ErrorKind::kParse, "repositories.json: '{}' has no valid image ID",
                         ref_text);
      }
      auto ref = ParseReference(ref_text);
      if (!ref.ok()) return Wrap(std::move(ref).error(), "repositories.json");
      tags.emplace(ref->String(), id.get<std::string>());
    }
  }
  return tags;
}

std::vector<std::string> NamesFor(const TagMap& tags, const std::string& image_id) {
  std::vector<std::string> names;
  for (const auto& [ref, id] : tags) {
    // Sorted by key already; two spellings of one name are adjacent.
    if (id == image_id && (names.empty() || names.back() != ref)) names.push_back(ref);
  }
  return names;
}

bool NamesImage(const TagMap& tags, const std::string& ref, const std::string& image_id) {
  auto [first, last] = tags.equal_range(ref);
  for (auto it = first; it != last; ++it) {
    if (it->second == image_id) return true;
  }
  return false;
}

}  // namespace verified::docker
