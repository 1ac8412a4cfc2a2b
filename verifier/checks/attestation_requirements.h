// The attestation requirements of a rule, as written in policy.json (issue 15):
//
//   {"match": "registry.example/app/*", "action": "allow",
//    "require": {"signed_by": "ci",
//                "vulnerabilities": "critical:0,high:5", "scan_max_age_days": 7,
//                "sbom": true,
//                "provenance_builder": "https://github.com/acme/*",
//                "provenance_source": "https://github.com/acme/**",
//                "attested_by": "scanner,ci"}}
//
// `vulnerabilities=SEV:N[,SEV:N]` (or an object {"critical":0}): at most N findings of each
// listed severity in the newest valid vulnerability scan. `scan_max_age_days=N`: that scan
// finished at most N days ago. `sbom`: an SPDX or CycloneDX attestation exists.
// `provenance_builder=PATTERN`, `provenance_source=PATTERN`: an SLSA v1 provenance whose
// builder id / source repository matches the glob (image-pattern globbing: `*` and `?` stop
// at '/', `**` crosses it). `attested_by=KEY[,KEY]`: the keys whose attestations count
// (default: the rule's signed_by keys; neither is a policy error). All are combined into one
// requirement (CombineAttestationRequirements) evaluated by attested.h.
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "verifier/attestation/vuln_predicate.h"
#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// What a rule asks of an image's attestations.
struct AttestationRule {
  std::vector<std::string> keys;  ///< attested_by, else signed_by's keys
  bool keys_from_signed_by = false;
  /// Per severity (attestation::Severity order): the most findings allowed, when limited.
  std::array<std::optional<size_t>, attestation::kSeverityCount> max_vulns{};
  bool vulns = false;  ///< `vulnerabilities` given
  std::optional<int64_t> scan_max_age_days;
  bool sbom = false;
  std::string builder_pattern;  ///< "" when not required
  std::string source_pattern;   ///< "" when not required
};

/// Value of vulnerabilities: "critical:0,high:5" or {"critical":0,"high":5}; severities
/// critical, high, medium, low, unknown, each once, counts 0..1000000. kInvalidArgument.
Result<RequirementPtr> MakeVulnerabilities(const nlohmann::json& value);
/// Value of scan_max_age_days: an integer 1..36500.
Result<RequirementPtr> MakeScanMaxAgeDays(const nlohmann::json& value);
/// Value of sbom: true.
Result<RequirementPtr> MakeSbom(const nlohmann::json& value);
/// Value of provenance_builder: a non-empty glob of at most 1024 bytes.
Result<RequirementPtr> MakeProvenanceBuilder(const nlohmann::json& value);
/// Value of provenance_source: as provenance_builder.
Result<RequirementPtr> MakeProvenanceSource(const nlohmann::json& value);
/// Value of attested_by: key names as signed_by takes them.
Result<RequirementPtr> MakeAttestedBy(const nlohmann::json& value);

/// Replaces the attestation requirements of one rule (or the baseline) by one requirement
/// carrying them all (attested.h), placed last; other requirements are kept in order. Call
/// after CombineSignatureRequirements (the keys default to the combined signed_by's).
/// kInvalidArgument when attested_by comes alone, or when there are requirements but neither
/// attested_by nor signed_by names keys.
Result<std::vector<RequirementPtr>> CombineAttestationRequirements(
    std::vector<RequirementPtr> reqs);

/// The key names a combined attestation requirement uses; empty for any other.
std::vector<std::string> AttestedByKeys(const Requirement& req);

}  // namespace verified
