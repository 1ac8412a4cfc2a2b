#include "verifier/core/json.h"

namespace verified {
namespace {

// A linear pre-scan: count bracket depth outside strings. Cheap next to parsing itself and it
// lets us refuse deep documents before the recursive parser sees them.
Status CheckDepth(std::string_view text, std::string_view what, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        return MakeError(ErrorKind::kTooLarge, "{}: JSON nested deeper than {} levels", what,
                         max_depth);
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      --depth;
    }
  }
  return Ok();
}

template <typename J>
Result<J> ParseImpl(std::string_view text, std::string_view what, size_t max_depth) {
  VERIFIED_RETURN_IF_ERROR(CheckDepth(text, what, max_depth));
  try {
    return J::parse(text.begin(), text.end());
  } catch (const typename J::exception& e) {
    return MakeError(ErrorKind::kParse, "{}: malformed JSON: {}", what, e.what());
  }
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, std::string_view what, size_t max_depth) {
  return ParseImpl<nlohmann::json>(text, what, max_depth);
}

Result<nlohmann::ordered_json> ParseOrderedJson(std::string_view text, std::string_view what,
                                                size_t max_depth) {
  return ParseImpl<nlohmann::ordered_json>(text, what, max_depth);
}

Result<std::string> OptionalString(const nlohmann::json& j, std::string_view key,
                                   std::string_view what) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{}: expected a JSON object", what);
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return MakeError(ErrorKind::kParse, "{}: field '{}' must be a string", what, key);
  }
  return it->get<std::string>();
}

const nlohmann::json* JsonAt(const nlohmann::json& j,
                             std::initializer_list<std::string_view> path) {
  const nlohmann::json* cur = &j;
  for (auto key : path) {
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(key);
    if (it == cur->end()) return nullptr;
    cur = &*it;
  }
  return cur;
}

std::string JsonString(const nlohmann::json& j, std::initializer_list<std::string_view> path) {
  const auto* v = JsonAt(j, path);
  return v != nullptr && v->is_string() ? v->get<std::string>() : std::string();
}

bool JsonBool(const nlohmann::json& j, std::initializer_list<std::string_view> path) {
  const auto* v = JsonAt(j, path);
  return v != nullptr && v->is_boolean() && v->get<bool>();
}

int64_t JsonInt(const nlohmann::json& j, std::initializer_list<std::string_view> path,
                int64_t fallback) {
  const auto* v = JsonAt(j, path);
  return v != nullptr && v->is_number_integer() ? v->get<int64_t>() : fallback;
}

}  // namespace verified
