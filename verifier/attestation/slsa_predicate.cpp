#include "verifier/attestation/slsa_predicate.h"

#include "verifier/signature/strict_object.h"

namespace verified::attestation {
namespace {

using signature::CheckMembers;
using signature::RequiredString;

constexpr std::string_view kSlsaWhat = "SLSA provenance";

bool IsCommit(std::string_view s) {
  if (s.size() != 40 && s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Status OptionalObject(const nlohmann::json& j, const char* key, std::string_view what) {
  if (j.contains(key) && !j[key].is_object()) {
    return MakeError(ErrorKind::kParse, "{}.{}: want an object", what, key);
  }
  return Ok();
}

// A ResourceDescriptor (in-toto attestation spec v1 resource_descriptor.md).
Result<SlsaDependency> ParseDescriptor(const nlohmann::json& d, const std::string& what) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(
      d, what, {},
      {"uri", "digest", "name", "downloadLocation", "mediaType", "content", "annotations"}));
  if (!d.contains("uri") && !d.contains("digest") && !d.contains("content")) {
    return MakeError(ErrorKind::kParse, "{}: needs one of uri, digest, content", what);
  }
  SlsaDependency out;
  for (const char* key : {"uri", "name", "downloadLocation", "mediaType", "content"}) {
    if (d.contains(key)) VERIFIED_RETURN_IF_ERROR(RequiredString(d, key, what));
  }
  if (d.contains("uri")) out.uri = d["uri"].get<std::string>();
  VERIFIED_RETURN_IF_ERROR(OptionalObject(d, "annotations", what));
  if (!d.contains("digest")) return out;
  const auto& digest = d["digest"];
  if (!digest.is_object()) return MakeError(ErrorKind::kParse, "{}.digest: want an object", what);
  for (const auto& [alg, v] : digest.items()) {
    if (!v.is_string()) return MakeError(ErrorKind::kParse, "{}.digest: want strings", what);
  }
  for (const char* alg : {"gitCommit", "sha1"}) {
    if (!digest.contains(alg)) continue;
    const std::string& c = digest[alg].get_ref<const std::string&>();
    if (!IsCommit(c)) {
      return MakeError(ErrorKind::kParse, "{}.digest.{}: not 40 or 64 lowercase hex", what, alg);
    }
    if (out.commit.empty()) out.commit = c;
  }
  return out;
}

Result<std::vector<SlsaDependency>> ParseDescriptors(const nlohmann::json& parent, const char* key,
                                                     std::string_view what) {
  std::vector<SlsaDependency> out;
  if (!parent.contains(key)) return out;
  const auto& list = parent[key];
  if (!list.is_array()) return MakeError(ErrorKind::kParse, "{}.{}: want an array", what, key);
  if (list.size() > kMaxSlsaDependencies) {
    return MakeError(ErrorKind::kTooLarge, "{}.{}: more than {}", what, key, kMaxSlsaDependencies);
  }
  for (size_t i = 0; i < list.size(); ++i) {
    VERIFIED_ASSIGN_OR_RETURN(SlsaDependency d,
                              ParseDescriptor(list[i], fmt::format("{}.{}[{}]", what, key, i)));
    out.push_back(std::move(d));
  }
  return out;
}

Status ParseBuildDefinition(const nlohmann::json& p, Provenance& out) {
  std::string what = fmt::format("{}: buildDefinition", kSlsaWhat);
  const auto& b = p["buildDefinition"];
  VERIFIED_RETURN_IF_ERROR(CheckMembers(
      b, what, {"buildType", "externalParameters"},
      {"buildType", "externalParameters", "internalParameters", "resolvedDependencies"}));
  VERIFIED_ASSIGN_OR_RETURN(out.build_type, RequiredString(b, "buildType", what));
  if (!b["externalParameters"].is_object()) {
    return MakeError(ErrorKind::kParse, "{}.externalParameters: want an object", what);
  }
  VERIFIED_RETURN_IF_ERROR(OptionalObject(b, "internalParameters", what));
  VERIFIED_ASSIGN_OR_RETURN(out.dependencies, ParseDescriptors(b, "resolvedDependencies", what));
  return Ok();
}

Status ParseRunDetails(const nlohmann::json& p, Provenance& out) {
  std::string what = fmt::format("{}: runDetails", kSlsaWhat);
  const auto& r = p["runDetails"];
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(r, what, {"builder"}, {"builder", "metadata", "byproducts"}));
  std::string bw = what + ".builder";
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(r["builder"], bw, {"id"}, {"id", "builderDependencies", "version"}));
  VERIFIED_ASSIGN_OR_RETURN(out.builder_id, RequiredString(r["builder"], "id", bw));
  VERIFIED_RETURN_IF_ERROR(ParseDescriptors(r["builder"], "builderDependencies", bw));
  VERIFIED_RETURN_IF_ERROR(OptionalObject(r["builder"], "version", bw));
  if (r.contains("metadata")) {
    std::string mw = what + ".metadata";
    VERIFIED_RETURN_IF_ERROR(
        CheckMembers(r["metadata"], mw, {}, {"invocationId", "startedOn", "finishedOn"}));
    for (const char* key : {"invocationId", "startedOn", "finishedOn"}) {
      if (r["metadata"].contains(key))
        VERIFIED_RETURN_IF_ERROR(RequiredString(r["metadata"], key, mw));
    }
  }
  VERIFIED_RETURN_IF_ERROR(ParseDescriptors(r, "byproducts", what));
  return Ok();
}

void FindSource(Provenance& out) {
  for (const auto& d : out.dependencies) {
    if (d.commit.empty()) continue;
    std::string uri = d.uri;
    if (uri.rfind("git+", 0) == 0) uri = uri.substr(4);
    // The ref follows the last '@' after the scheme's "://" (an '@' in user info comes first).
    size_t scheme = uri.find("://");
    size_t at = uri.rfind('@');
    if (at != std::string::npos && (scheme == std::string::npos || at > scheme + 3) &&
        uri.find('/', scheme == std::string::npos ? 0 : scheme + 3) < at) {
      out.source_ref = uri.substr(at + 1);
      uri.resize(at);
    }
    out.source_repository = uri;
    out.source_commit = d.commit;
    return;
  }
}

}  // namespace

Result<Provenance> ParseSlsaProvenance(const nlohmann::json& predicate) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(predicate, kSlsaWhat, {"buildDefinition", "runDetails"},
                                        {"buildDefinition", "runDetails"}));
  Provenance out;
  VERIFIED_RETURN_IF_ERROR(ParseBuildDefinition(predicate, out));
  VERIFIED_RETURN_IF_ERROR(ParseRunDetails(predicate, out));
  FindSource(out);
  return out;
}

std::string DescribeProvenance(const Provenance& p) {
  if (p.source_repository.empty()) {
    return fmt::format("built by {} (no source commit among {} resolved dependencies)",
                       p.builder_id.substr(0, 200), p.dependencies.size());
  }
  return fmt::format(
      "built by {} from {}{}@{}", p.builder_id.substr(0, 200), p.source_repository.substr(0, 200),
      p.source_ref.empty() ? "" : " (" + p.source_ref.substr(0, 100) + ")", p.source_commit);
}

}  // namespace verified::attestation
