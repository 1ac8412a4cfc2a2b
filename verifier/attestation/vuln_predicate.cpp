#include "verifier/attestation/vuln_predicate.h"

#include <algorithm>

#include "verifier/signature/strict_object.h"
#include "verifier/signedpolicy/rfc3339.h"

namespace verified::attestation {
namespace {

using signature::CheckMembers;
using signature::RequiredString;

constexpr std::string_view kVulnWhat = "vuln predicate";
constexpr std::array<const char*, kSeverityCount> kNames = {"unknown", "low", "medium", "high",
                                                            "critical"};
// Longest vulnerability ID kept (Trivy's are CVE-/GHSA-/ALAS- ids of a few dozen bytes).
constexpr size_t kMaxIdBytes = 128;

Status CheckOptionalObject(const nlohmann::json& parent, const char* key, std::string_view what,
                           std::initializer_list<std::string_view> allowed) {
  if (!parent.contains(key)) return Ok();
  return CheckMembers(parent[key], fmt::format("{}.{}", what, key), {}, allowed);
}

Status ParseVulnerability(const nlohmann::json& v, std::string_view what, VulnScan& out) {
  if (!v.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", what);
  VERIFIED_ASSIGN_OR_RETURN(std::string id, RequiredString(v, "VulnerabilityID", what));
  VERIFIED_ASSIGN_OR_RETURN(std::string sev_text, RequiredString(v, "Severity", what));
  if (id.empty() || id.size() > kMaxIdBytes) {
    return MakeError(ErrorKind::kParse, "{}.VulnerabilityID: want 1 to {} bytes", what,
                     kMaxIdBytes);
  }
  // Trivy writes the upper-case names only (pkg/types: dbTypes.SeverityNames).
  auto it = std::find_if(kNames.begin(), kNames.end(), [&](const char* n) {
    std::string upper(n);
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    return upper == sev_text;
  });
  if (it == kNames.end()) {
    return MakeError(ErrorKind::kParse,
                     "{}.Severity: {} is not one of UNKNOWN, LOW, MEDIUM, HIGH, "
                     "CRITICAL",
                     what, sev_text.substr(0, 40));
  }
  size_t s = static_cast<size_t>(it - kNames.begin());
  ++out.counts[s];
  auto& ids = out.ids[s];
  if (ids.size() < kMaxIdsKept && std::find(ids.begin(), ids.end(), id) == ids.end()) {
    ids.push_back(std::move(id));
  }
  return Ok();
}

// Trivy's report: Results (absent or null: nothing found) of Vulnerabilities (absent or null:
// none for that target).
Status ParseReport(const nlohmann::json& report, VulnScan& out) {
  constexpr std::string_view kReport = "vuln predicate: scanner.result";
  if (!report.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", kReport);
  auto results = report.find("Results");
  if (results == report.end() || results->is_null()) return Ok();
  if (!results->is_array())
    return MakeError(ErrorKind::kParse, "{}.Results: want an array", kReport);
  size_t total = 0;
  for (size_t i = 0; i < results->size(); ++i) {
    const auto& r = (*results)[i];
    std::string what = fmt::format("{}.Results[{}]", kReport, i);
    if (!r.is_object()) return MakeError(ErrorKind::kParse, "{}: want an object", what);
    auto vulns = r.find("Vulnerabilities");
    if (vulns == r.end() || vulns->is_null()) continue;
    if (!vulns->is_array()) {
      return MakeError(ErrorKind::kParse, "{}.Vulnerabilities: want an array", what);
    }
    total += vulns->size();
    if (total > kMaxReportVulnerabilities) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} vulnerabilities", kReport,
                       kMaxReportVulnerabilities);
    }
    for (size_t j = 0; j < vulns->size(); ++j) {
      VERIFIED_RETURN_IF_ERROR(
          ParseVulnerability((*vulns)[j], fmt::format("{}.Vulnerabilities[{}]", what, j), out));
    }
  }
  return Ok();
}

Status ParseScanner(const nlohmann::json& p, VulnScan& out) {
  std::string what = fmt::format("{}: scanner", kVulnWhat);
  const auto& s = p["scanner"];
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(s, what, {"uri", "version", "result"}, {"uri", "version", "db", "result"}));
  VERIFIED_ASSIGN_OR_RETURN(out.scanner_uri, RequiredString(s, "uri", what));
  VERIFIED_ASSIGN_OR_RETURN(out.scanner_version, RequiredString(s, "version", what));
  if (out.scanner_uri.size() > 1024 || out.scanner_version.size() > 256) {
    return MakeError(ErrorKind::kParse, "{}: uri or version too long", what);
  }
  VERIFIED_RETURN_IF_ERROR(CheckOptionalObject(s, "db", what, {"uri", "version"}));
  return ParseReport(s["result"], out);
}

}  // namespace

const char* SeverityName(Severity s) { return kNames[static_cast<size_t>(s)]; }

Result<Severity> ParseSeverity(std::string_view name) {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(), ::tolower);
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (lower == kNames[i]) return static_cast<Severity>(i);
  }
  return MakeError(ErrorKind::kInvalidArgument,
                   "unknown severity '{}' (critical, high, medium, low, unknown)",
                   std::string(name.substr(0, 40)));
}

Result<VulnScan> ParseVulnPredicate(const nlohmann::json& predicate) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(predicate, kVulnWhat, {"scanner", "metadata"},
                                        {"invocation", "scanner", "metadata"}));
  VERIFIED_RETURN_IF_ERROR(CheckOptionalObject(predicate, "invocation", kVulnWhat,
                                               {"parameters", "uri", "event_id", "builder.id"}));
  VulnScan out;
  VERIFIED_RETURN_IF_ERROR(ParseScanner(predicate, out));
  std::string meta = fmt::format("{}: metadata", kVulnWhat);
  const auto& m = predicate["metadata"];
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(m, meta, {"scanFinishedOn"}, {"scanStartedOn", "scanFinishedOn"}));
  VERIFIED_ASSIGN_OR_RETURN(out.finished_text, RequiredString(m, "scanFinishedOn", meta));
  VERIFIED_ASSIGN_OR_WRAP(out.finished, signedpolicy::ParseRfc3339(out.finished_text),
                          "{}.scanFinishedOn", meta);
  if (m.contains("scanStartedOn")) {
    VERIFIED_ASSIGN_OR_RETURN(std::string started, RequiredString(m, "scanStartedOn", meta));
    VERIFIED_RETURN_IF_ERROR_WRAP(signedpolicy::ParseRfc3339(started), "{}.scanStartedOn", meta);
  }
  return out;
}

std::string DescribeVulnScan(const VulnScan& scan) {
  std::string counts;
  for (size_t i = kSeverityCount; i-- > 0;) {
    counts += fmt::format("{}{} {}", counts.empty() ? "" : ", ", scan.counts[i], kNames[i]);
  }
  return fmt::format("scan by {} {} finished {}: {}", scan.scanner_uri, scan.scanner_version,
                     scan.finished_text, counts);
}

}  // namespace verified::attestation
