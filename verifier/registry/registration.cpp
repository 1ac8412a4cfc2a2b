#include "verifier/registry/registration.h"

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/image/reference.h"

namespace verified {
namespace {

Result<std::vector<std::string>> DigestList(const nlohmann::json& j, const char* key) {
  std::vector<std::string> out;
  auto it = j.find(key);
  if (it == j.end()) return out;
  if (!it->is_array() || it->size() > kMaxLayers) {
    return MakeError(ErrorKind::kParse, "registration: '{}' is not a list of digests", key);
  }
  for (const auto& d : *it) {
    if (!d.is_string()) return MakeError(ErrorKind::kParse, "registration: bad '{}'", key);
    VERIFIED_ASSIGN_OR_RETURN(std::string v, ParseDigest(d.get<std::string>(), key));
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace

nlohmann::json RegistrationToJson(const Registration& r) {
  return nlohmann::json{{"name", r.name},
                        {"image_id", r.image_id},
                        {"diff_ids", r.diff_ids},
                        {"chain_ids", r.chain_ids},
                        {"repo_digests", r.repo_digests},
                        {"registered_at", r.registered_at},
                        {"registered_by", r.registered_by},
                        {"engine", r.engine}};
}

Result<Registration> RegistrationFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "registration is not an object");
  Registration r;
  VERIFIED_ASSIGN_OR_RETURN(r.name, OptionalString(j, "name", "registration"));
  auto ref = ParseReference(r.name);
  if (!ref.ok()) return Wrap(std::move(ref).error(), "registration name");
  if (ref->String() != r.name) {
    return MakeError(ErrorKind::kParse, "registration name '{}' is not normalised", r.name);
  }
  VERIFIED_ASSIGN_OR_RETURN(r.image_id, OptionalString(j, "image_id", "registration"));
  if (!r.image_id.empty() && !IsSha256Digest(r.image_id)) {
    return MakeError(ErrorKind::kParse, "registration '{}': bad image_id", r.name);
  }
  VERIFIED_ASSIGN_OR_RETURN(r.diff_ids, DigestList(j, "diff_ids"));
  VERIFIED_ASSIGN_OR_RETURN(r.chain_ids, DigestList(j, "chain_ids"));
  if (r.chain_ids != ChainIds(r.diff_ids)) {
    return MakeError(ErrorKind::kInconsistent,
                     "registration '{}': chain_ids do not follow from diff_ids", r.name);
  }
  if (auto it = j.find("repo_digests"); it != j.end() && it->is_array()) {
    for (const auto& d : *it) {
      if (d.is_string()) r.repo_digests.push_back(d.get<std::string>());
    }
  }
  VERIFIED_ASSIGN_OR_RETURN(r.registered_at, OptionalString(j, "registered_at", "registration"));
  VERIFIED_ASSIGN_OR_RETURN(r.registered_by, OptionalString(j, "registered_by", "registration"));
  VERIFIED_ASSIGN_OR_RETURN(r.engine, OptionalString(j, "engine", "registration"));
  return r;
}

}  // namespace verified
