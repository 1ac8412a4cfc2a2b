#include "verifier/registry/registration.h"

#include <algorithm>

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/image/reference.h"
#include "verifier/image/runtime_config.h"

namespace verified {
namespace {

constexpr std::string_view kKeys[] = {"name",         "image_id",      "diff_ids",      "chain_ids",
                                      "repo_digests", "registered_at", "registered_by", "engine",
                                      "layers_only",  "config"};

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

// Names registered before registry hosts were case-folded ("Registry.Example.com/x:1") or
// registry-1.docker.io was folded into docker.io were stored under the host as written. They
// must keep parsing (the by-name index is keyed by the stored spelling, and a record that
// does not parse fails every decision that reads it); consumers match the parsed, normalised
// form. Accepts exactly the old canonical form: the host as written, the rest normalised.
bool OlderHostSpelling(const std::string& name, const Reference& ref) {
  auto slash = name.find('/');
  if (slash == std::string::npos) return false;
  std::string host = name.substr(0, slash);
  if (host == ref.domain || NormaliseDomain(host) != ref.domain) return false;
  std::string tail = ref.String().substr(ref.domain.size() + 1);  // path[:tag][@digest]
  if (name == host + "/" + tail) return true;
  // "registry-1.docker.io/alpine:1": the "library/" Docker Hub adds was not there before.
  return ref.domain == "docker.io" && tail.rfind("library/", 0) == 0 &&
         name == host + "/" + tail.substr(8);
}

}  // namespace

nlohmann::json RegistrationToJson(const Registration& r) {
  nlohmann::json j{{"name", r.name},
                   {"image_id", r.image_id},
                   {"diff_ids", r.diff_ids},
                   {"chain_ids", r.chain_ids},
                   {"repo_digests", r.repo_digests},
                   {"registered_at", r.registered_at},
                   {"registered_by", r.registered_by},
                   {"engine", r.engine},
                   {"layers_only", r.layers_only}};
  if (!r.config.is_null()) j["config"] = r.config;
  return j;
}

Result<Registration> RegistrationFromJson(const nlohmann::json& j) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "registration is not an object");
  for (const auto& [k, v] : j.items()) {
    if (std::find(std::begin(kKeys), std::end(kKeys), k) == std::end(kKeys)) {
      return MakeError(ErrorKind::kParse, "registration: unknown key '{}'", k);
    }
  }
  Registration r;
  VERIFIED_ASSIGN_OR_RETURN(r.name, OptionalString(j, "name", "registration"));
  auto ref = ParseReference(r.name);
  if (!ref.ok()) return Wrap(std::move(ref).error(), "registration name");
  if (ref->String() != r.name && !OlderHostSpelling(r.name, *ref)) {
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
  if (auto it = j.find("repo_digests"); it != j.end()) {
    if (!it->is_array() || it->size() > kMaxRepoDigests) {
      return MakeError(ErrorKind::kParse, "registration '{}': bad repo_digests", r.name);
    }
    for (const auto& d : *it) {
      if (!d.is_string()) {
        return MakeError(ErrorKind::kParse, "registration '{}': bad repo_digests", r.name);
      }
      r.repo_digests.push_back(d.get<std::string>());
    }
  }
  if (auto it = j.find("layers_only"); it != j.end()) {
    if (!it->is_boolean()) {
      return MakeError(ErrorKind::kParse, "registration '{}': layers_only is not a boolean",
                       r.name);
    }
    r.layers_only = it->get<bool>();
  }
  if (auto it = j.find("config"); it != j.end()) {
    auto config = ParseRuntimeConfig(*it);
    if (!config.ok()) return Wrap(std::move(config).error(), "registration '{}'", r.name);
    r.config = std::move(config).value();
  }
  VERIFIED_ASSIGN_OR_RETURN(r.registered_at, OptionalString(j, "registered_at", "registration"));
  VERIFIED_ASSIGN_OR_RETURN(r.registered_by, OptionalString(j, "registered_by", "registration"));
  VERIFIED_ASSIGN_OR_RETURN(r.engine, OptionalString(j, "engine", "registration"));
  return r;
}

}  // namespace verified
