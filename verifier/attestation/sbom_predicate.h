// SBOM predicates: an SPDX 2.x JSON document (predicateType kSpdxPredicateType, what
// `syft -o spdx-json` writes and `cosign attest --type spdxjson` signs) and a CycloneDX JSON
// BOM (kCycloneDxPredicateType, `syft -o cyclonedx-json`, `cosign attest --type cyclonedx`).
//
// The `sbom` requirement asks only that one exists, signed and bound to the image; what is
// read here is what the published schemas require of a document (so that an empty or
// unrelated object signed under an SBOM predicate type does not count) and what explain shows.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::attestation {

/// The predicate type cosign gives SPDX JSON documents.
inline constexpr std::string_view kSpdxPredicateType = "https://spdx.dev/Document";
/// The predicate type cosign gives CycloneDX BOMs.
inline constexpr std::string_view kCycloneDxPredicateType = "https://cyclonedx.org/bom";
/// Most packages or components one SBOM may list.
inline constexpr size_t kMaxSbomPackages = 1000000;

/// What an SBOM says, for messages.
struct Sbom {
  std::string format;   ///< "SPDX-2.3", "CycloneDX 1.5"
  std::string name;     ///< SPDX name; CycloneDX metadata.component.name ("" when absent)
  size_t packages = 0;  ///< SPDX packages / CycloneDX components
};

/// Parses an SPDX 2.x JSON document (spdx-spec v2.3 JSON schema): an object with the
/// required spdxVersion ("SPDX-2.<n>"), dataLicense, SPDXID "SPDXRef-DOCUMENT", name,
/// documentNamespace (strings) and creationInfo (an object with a `created` string and a
/// `creators` array); `packages`, when present, an array of objects each with a string SPDXID.
/// kParse naming the member otherwise; kTooLarge beyond kMaxSbomPackages.
Result<Sbom> ParseSpdx(const nlohmann::json& predicate);

/// Parses a CycloneDX JSON BOM (cyclonedx bom-1.x.schema.json): bomFormat "CycloneDX",
/// specVersion "1.<n>", optional integer version >= 1, optional `components` array of objects
/// each with string `type` and `name`, optional metadata.component.name. kParse naming the
/// member otherwise; kTooLarge beyond kMaxSbomPackages.
Result<Sbom> ParseCycloneDx(const nlohmann::json& predicate);

/// "SPDX-2.3 document 'alpine' listing 14 packages".
std::string DescribeSbom(const Sbom& sbom);

}  // namespace verified::attestation
