#include "verifier/signature/strict_object.h"

#include <algorithm>

#include "verifier/core/go_json_keys.h"

namespace verified::signature {

Status CheckMembers(const nlohmann::json& j, std::string_view what,
                    std::initializer_list<std::string_view> required,
                    std::initializer_list<std::string_view> allowed) {
  if (!j.is_object()) {
    return MakeError(ErrorKind::kParse, "{}: is a JSON {}, want an object", what, j.type_name());
  }
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      return MakeError(ErrorKind::kParse, "{}: unknown member {}", what, QuoteJsonKey(key));
    }
  }
  for (std::string_view key : required) {
    if (!j.contains(key)) {
      return MakeError(ErrorKind::kParse, "{}: missing member \"{}\"", what, key);
    }
  }
  return Ok();
}

Result<std::string> RequiredString(const nlohmann::json& j, std::string_view key,
                                   std::string_view what) {
  auto it = j.find(key);
  if (it == j.end()) return MakeError(ErrorKind::kParse, "{}: missing member \"{}\"", what, key);
  if (!it->is_string()) {
    return MakeError(ErrorKind::kParse, "{}.{}: is a JSON {}, want a string", what, key,
                     it->type_name());
  }
  return it->get<std::string>();
}

}  // namespace verified::signature
