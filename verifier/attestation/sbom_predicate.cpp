#include "verifier/attestation/sbom_predicate.h"

#include "verifier/signature/strict_object.h"

namespace verified::attestation {
namespace {

using signature::RequiredString;

// The array member `key` (absent: empty), each element an object with the string members
// `required`. Counts them.
Result<size_t> CountObjects(const nlohmann::json& doc, const char* key, std::string_view what,
                            std::initializer_list<const char*> required) {
  auto it = doc.find(key);
  if (it == doc.end()) return size_t{0};
  if (!it->is_array()) return MakeError(ErrorKind::kParse, "{}.{}: want an array", what, key);
  if (it->size() > kMaxSbomPackages) {
    return MakeError(ErrorKind::kTooLarge, "{}.{}: more than {} entries", what, key,
                     kMaxSbomPackages);
  }
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& e = (*it)[i];
    std::string at = fmt::format("{}.{}[{}]", what, key, i);
    if (!e.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", at);
    for (const char* r : required) VERIFIED_RETURN_IF_ERROR(RequiredString(e, r, at));
  }
  return it->size();
}

bool HasPrefixAndDigits(std::string_view s, std::string_view prefix) {
  if (s.substr(0, prefix.size()) != prefix || s.size() == prefix.size()) return false;
  for (char c : s.substr(prefix.size())) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

}  // namespace

Result<Sbom> ParseSpdx(const nlohmann::json& p) {
  constexpr std::string_view kWhat = "SPDX predicate";
  if (!p.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", kWhat);
  Sbom out;
  VERIFIED_ASSIGN_OR_RETURN(out.format, RequiredString(p, "spdxVersion", kWhat));
  if (!HasPrefixAndDigits(out.format, "SPDX-2.")) {
    return MakeError(ErrorKind::kParse, "{}: spdxVersion '{}' is not SPDX-2.<n>", kWhat,
                     out.format.substr(0, 40));
  }
  for (const char* key : {"dataLicense", "documentNamespace"}) {
    VERIFIED_RETURN_IF_ERROR(RequiredString(p, key, kWhat));
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string id, RequiredString(p, "SPDXID", kWhat));
  if (id != "SPDXRef-DOCUMENT") {
    return MakeError(ErrorKind::kParse, "{}: SPDXID is not SPDXRef-DOCUMENT", kWhat);
  }
  VERIFIED_ASSIGN_OR_RETURN(out.name, RequiredString(p, "name", kWhat));
  auto ci = p.find("creationInfo");
  if (ci == p.end() || !ci->is_object()) {
    return MakeError(ErrorKind::kParse, "{}: creationInfo: want an object", kWhat);
  }
  VERIFIED_RETURN_IF_ERROR(RequiredString(*ci, "created", "SPDX predicate: creationInfo"));
  if (!ci->contains("creators") || !(*ci)["creators"].is_array()) {
    return MakeError(ErrorKind::kParse, "{}: creationInfo.creators: want an array", kWhat);
  }
  VERIFIED_ASSIGN_OR_RETURN(out.packages, CountObjects(p, "packages", kWhat, {"SPDXID"}));
  return out;
}

Result<Sbom> ParseCycloneDx(const nlohmann::json& p) {
  constexpr std::string_view kWhat = "CycloneDX predicate";
  if (!p.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", kWhat);
  VERIFIED_ASSIGN_OR_RETURN(std::string format, RequiredString(p, "bomFormat", kWhat));
  if (format != "CycloneDX") {
    return MakeError(ErrorKind::kParse, "{}: bomFormat is not \"CycloneDX\"", kWhat);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string spec, RequiredString(p, "specVersion", kWhat));
  if (!HasPrefixAndDigits(spec, "1.")) {
    return MakeError(ErrorKind::kParse, "{}: specVersion '{}' is not 1.<n>", kWhat,
                     spec.substr(0, 40));
  }
  if (p.contains("version") &&
      (!p["version"].is_number_integer() || p["version"].get<int64_t>() < 1)) {
    return MakeError(ErrorKind::kParse, "{}: version: want an integer >= 1", kWhat);
  }
  Sbom out;
  out.format = "CycloneDX " + spec;
  if (p.contains("metadata")) {
    const auto& m = p["metadata"];
    if (!m.is_object()) return MakeError(ErrorKind::kParse, "{}: metadata: want an object", kWhat);
    if (m.contains("component")) {
      const auto& c = m["component"];
      if (!c.is_object()) {
        return MakeError(ErrorKind::kParse, "{}: metadata.component: want an object", kWhat);
      }
      VERIFIED_ASSIGN_OR_RETURN(
          out.name, RequiredString(c, "name", "CycloneDX predicate: metadata.component"));
    }
  }
  VERIFIED_ASSIGN_OR_RETURN(out.packages, CountObjects(p, "components", kWhat, {"type", "name"}));
  return out;
}

std::string DescribeSbom(const Sbom& sbom) {
  return fmt::format("{} document '{}' listing {} package(s)", sbom.format,
                     sbom.name.substr(0, 100), sbom.packages);
}

}  // namespace verified::attestation
