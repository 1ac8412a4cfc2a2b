// cosign's vulnerability-scan predicate (predicateType kVulnPredicateType), what
// `trivy image --format cosign-vuln` writes and `cosign attest --type vuln` signs
// (sigstore/cosign pkg/cosign/attestation CosignVulnPredicate; aquasecurity/trivy
// pkg/report/predicate/vuln.go):
//
//   {"invocation":{"parameters":..,"uri":"","event_id":"","builder.id":""},
//    "scanner":{"uri":"pkg:github/aquasecurity/trivy@0.58.1","version":"0.58.1",
//               "db":{"uri":"","version":""},
//               "result":{ <Trivy's JSON report: "Results":[{"Target":..,
//                          "Vulnerabilities":[{"VulnerabilityID":"CVE-..","Severity":"HIGH",..}]}]>
//                          }},
//    "metadata":{"scanStartedOn":"2026-12-01T10:00:00Z","scanFinishedOn":"2026-12-01T10:00:05Z"}}
//
// The predicate's own members are checked strictly (unknown ones refused); inside the scanner's
// report only Results[].Vulnerabilities[].VulnerabilityID/Severity are read and type-checked
// (the report is the scanner's, whose other members change between versions).
#pragma once

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::attestation {

/// cosign's vulnerability-scan predicate type.
inline constexpr std::string_view kVulnPredicateType =
    "https://cosign.sigstore.dev/attestation/vuln/v1";
/// Most vulnerabilities one report may list (a 24 MiB report holds far fewer).
inline constexpr size_t kMaxReportVulnerabilities = 500000;
/// Most IDs kept per severity (for messages).
inline constexpr size_t kMaxIdsKept = 10;

/// Trivy's severities, lowest first.
enum class Severity { kUnknown, kLow, kMedium, kHigh, kCritical };
inline constexpr size_t kSeverityCount = 5;

/// "unknown", "low", "medium", "high", "critical".
const char* SeverityName(Severity s);

/// Parses a severity name, any case ("critical", "CRITICAL"). kInvalidArgument otherwise.
Result<Severity> ParseSeverity(std::string_view name);

/// What a scan said.
struct VulnScan {
  std::string scanner_uri;      ///< scanner.uri ("pkg:github/aquasecurity/trivy@0.58.1")
  std::string scanner_version;  ///< scanner.version
  std::string finished_text;    ///< metadata.scanFinishedOn as written
  int64_t finished = 0;         ///< the same in Unix seconds
  /// Vulnerabilities listed per severity (entries, as Trivy's own summary counts them).
  std::array<size_t, kSeverityCount> counts{};
  /// The first kMaxIdsKept distinct IDs per severity, in report order.
  std::array<std::vector<std::string>, kSeverityCount> ids;
};

/// Parses the predicate. kParse naming the member for a wrong type, a missing required member
/// (scanner.uri, scanner.version, scanner.result, metadata.scanFinishedOn), an unknown member
/// of the predicate's own objects, a vulnerability without a VulnerabilityID or with a
/// Severity Trivy does not write, a time that is not RFC 3339; kTooLarge beyond
/// kMaxReportVulnerabilities.
Result<VulnScan> ParseVulnPredicate(const nlohmann::json& predicate);

/// "trivy 0.58.1 finished 2026-12-01T10:00:05Z: 0 critical, 2 high, ...".
std::string DescribeVulnScan(const VulnScan& scan);

}  // namespace verified::attestation
