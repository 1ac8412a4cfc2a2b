#include "verifier/signature/in_toto_statement.h"

#include <algorithm>

#include "verifier/core/go_json_keys.h"
#include "verifier/image/digest.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {
namespace {

Status ParseSubject(const nlohmann::json& s, size_t i, InTotoStatement& out) {
  std::string what = fmt::format("in-toto Statement: subject[{}]", i);
  VERIFIED_RETURN_IF_ERROR(CheckMembers(s, what, {"digest"}, {"name", "digest", "annotations"}));
  std::string name;
  if (s.contains("name")) {
    VERIFIED_ASSIGN_OR_RETURN(name, RequiredString(s, "name", what));
  }
  if (s.contains("annotations") && !s["annotations"].is_object()) {
    return MakeError(ErrorKind::kParse, "{}.annotations: want an object", what);
  }
  const auto& digest = s["digest"];
  if (!digest.is_object()) return MakeError(ErrorKind::kParse, "{}.digest: want an object", what);
  for (const auto& [alg, value] : digest.items()) {
    if (!value.is_string()) {
      return MakeError(ErrorKind::kParse, "{}.digest.{}: want a string", what, QuoteJsonKey(alg));
    }
  }
  auto sha = digest.find("sha256");
  if (sha == digest.end()) {
    return MakeError(ErrorKind::kParse, "{}: no sha256 digest (an image is named by sha256)", what);
  }
  if (!IsHex64(sha->get<std::string>())) {
    return MakeError(ErrorKind::kParse, "{}.digest.sha256: {} is not 64 lowercase hex", what,
                     QuoteJsonKey(sha->get<std::string>(), 80));
  }
  out.subject_digests.push_back("sha256:" + sha->get<std::string>());
  out.subject_names.push_back(std::move(name));
  return Ok();
}

}  // namespace

bool InTotoStatement::HasSubject(std::string_view digest) const {
  return std::find(subject_digests.begin(), subject_digests.end(), digest) != subject_digests.end();
}

Result<InTotoStatement> ParseInTotoStatement(std::string_view payload, size_t max_bytes,
                                             nlohmann::json* predicate) {
  constexpr std::string_view kWhat = "in-toto Statement";
  if (payload.size() > max_bytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kWhat,
                     payload.size(), max_bytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(payload, kWhat));
  VERIFIED_RETURN_IF_ERROR(CheckMembers(doc, kWhat, {"_type", "subject", "predicateType"},
                                        {"_type", "subject", "predicateType", "predicate"}));
  InTotoStatement out;
  VERIFIED_ASSIGN_OR_RETURN(out.type, RequiredString(doc, "_type", kWhat));
  if (out.type != kInTotoStatementV1 && out.type != kInTotoStatementV01) {
    return MakeError(ErrorKind::kParse, "{}: _type {} is neither {} nor {}", kWhat,
                     QuoteJsonKey(out.type, 80), kInTotoStatementV1, kInTotoStatementV01);
  }
  VERIFIED_ASSIGN_OR_RETURN(out.predicate_type, RequiredString(doc, "predicateType", kWhat));
  if (doc.contains("predicate") && !doc["predicate"].is_object() && !doc["predicate"].is_null()) {
    return MakeError(ErrorKind::kParse, "{}: predicate is a JSON {}, want an object", kWhat,
                     doc["predicate"].type_name());
  }
  const auto& subjects = doc["subject"];
  if (!subjects.is_array() || subjects.empty() || subjects.size() > kMaxStatementSubjects) {
    return MakeError(ErrorKind::kParse, "{}: subject must be an array of 1 to {} subjects", kWhat,
                     kMaxStatementSubjects);
  }
  for (size_t i = 0; i < subjects.size(); ++i) {
    VERIFIED_RETURN_IF_ERROR(ParseSubject(subjects[i], i, out));
  }
  if (predicate != nullptr) {
    *predicate = doc.contains("predicate") ? std::move(doc["predicate"]) : nlohmann::json();
  }
  return out;
}

}  // namespace verified::signature
