// The predicate parsers on documents written by hand from the published schemas.
#include <gtest/gtest.h>

#include "unit/verifier/attestation/attestation_test_util.h"
#include "verifier/attestation/predicate.h"

namespace verified::attestation {
namespace {

using testing::CycloneDxBom;
using testing::SlsaProvenance;
using testing::SpdxDocument;
using testing::VulnPredicate;

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";

TEST(VulnPredicate, CleanReportCountsNothing) {
  auto p = ParseVulnPredicate(VulnPredicate("2026-12-01T10:00:05.123456789Z", {}));
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->scanner_uri, "pkg:github/aquasecurity/trivy@0.58.1");
  EXPECT_EQ(p->scanner_version, "0.58.1");
  EXPECT_EQ(p->finished_text, "2026-12-01T10:00:05.123456789Z");
  for (size_t n : p->counts) EXPECT_EQ(n, 0u);
  EXPECT_NE(DescribeVulnScan(*p).find("0 critical, 0 high"), std::string::npos);
}

TEST(VulnPredicate, CountsBySeverityAndKeepsTheFirstIds) {
  auto p = ParseVulnPredicate(VulnPredicate("2026-12-01T10:00:05Z", {{"CVE-2024-0001", "CRITICAL"},
                                                                     {"CVE-2024-0002", "HIGH"},
                                                                     {"CVE-2024-0001", "CRITICAL"},
                                                                     {"CVE-2024-0003", "CRITICAL"},
                                                                     {"GHSA-xxxx", "LOW"}}));
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->counts[static_cast<size_t>(Severity::kCritical)], 3u);  // entries, as Trivy counts
  EXPECT_EQ(p->counts[static_cast<size_t>(Severity::kHigh)], 1u);
  EXPECT_EQ(p->counts[static_cast<size_t>(Severity::kLow)], 1u);
  EXPECT_EQ(p->ids[static_cast<size_t>(Severity::kCritical)],
            (std::vector<std::string>{"CVE-2024-0001", "CVE-2024-0003"}));
}

TEST(VulnPredicate, NullResultsAndNullVulnerabilitiesAreEmpty) {
  auto doc = VulnPredicate("2026-12-01T10:00:05Z", {});
  doc["scanner"]["result"]["Results"][0]["Vulnerabilities"] = nullptr;
  EXPECT_TRUE(ParseVulnPredicate(doc).ok());
  doc["scanner"]["result"]["Results"] = nullptr;
  EXPECT_TRUE(ParseVulnPredicate(doc).ok());
}

TEST(VulnPredicate, MalformedDocumentsAreRefusedNamingTheMember) {
  struct Case {
    const char* name;
    void (*edit)(nlohmann::json&);
    const char* why;
  };
  const Case cases[] = {
      {"unknown member", [](nlohmann::json& d) { d["extra"] = 1; }, "extra"},
      {"no scanner", [](nlohmann::json& d) { d.erase("scanner"); }, "scanner"},
      {"no finish time", [](nlohmann::json& d) { d["metadata"].erase("scanFinishedOn"); },
       "scanFinishedOn"},
      {"bad time", [](nlohmann::json& d) { d["metadata"]["scanFinishedOn"] = "yesterday"; },
       "scanFinishedOn"},
      {"results not array", [](nlohmann::json& d) { d["scanner"]["result"]["Results"] = 1; },
       "Results"},
      {"severity unknown to trivy",
       [](nlohmann::json& d) {
         d["scanner"]["result"]["Results"][0]["Vulnerabilities"][0]["Severity"] = "SEVERE";
       },
       "Severity"},
      {"lower-case severity",
       [](nlohmann::json& d) {
         d["scanner"]["result"]["Results"][0]["Vulnerabilities"][0]["Severity"] = "critical";
       },
       "Severity"},
      {"no id",
       [](nlohmann::json& d) {
         d["scanner"]["result"]["Results"][0]["Vulnerabilities"][0].erase("VulnerabilityID");
       },
       "VulnerabilityID"},
      {"unknown scanner member", [](nlohmann::json& d) { d["scanner"]["name"] = "x"; }, "name"},
  };
  for (const auto& c : cases) {
    auto doc = VulnPredicate("2026-12-01T10:00:05Z", {{"CVE-1", "HIGH"}});
    c.edit(doc);
    auto p = ParseVulnPredicate(doc);
    ASSERT_FALSE(p.ok()) << c.name;
    EXPECT_NE(p.error().What().find(c.why), std::string::npos)
        << c.name << ": " << p.error().What();
  }
}

TEST(VulnPredicate, SeverityNamesParseInAnyCase) {
  EXPECT_EQ(ParseSeverity("Critical").value(), Severity::kCritical);
  EXPECT_FALSE(ParseSeverity("severe").ok());
}

TEST(Sbom, SpdxAndCycloneDxParse) {
  auto s = ParseSpdx(SpdxDocument());
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->format, "SPDX-2.3");
  EXPECT_EQ(s->packages, 1u);
  auto c = ParseCycloneDx(CycloneDxBom());
  ASSERT_TRUE(c.ok()) << c.error().What();
  EXPECT_EQ(c->format, "CycloneDX 1.5");
  EXPECT_EQ(c->name, "registry.example/app");
  EXPECT_EQ(c->packages, 1u);
}

TEST(Sbom, DocumentsMissingWhatTheSchemaRequiresAreRefused) {
  auto spdx = SpdxDocument();
  spdx.erase("creationInfo");
  EXPECT_FALSE(ParseSpdx(spdx).ok());
  spdx = SpdxDocument();
  spdx["spdxVersion"] = "SPDX-3.0";
  EXPECT_FALSE(ParseSpdx(spdx).ok());
  spdx = SpdxDocument();
  spdx["SPDXID"] = "SPDXRef-other";
  EXPECT_FALSE(ParseSpdx(spdx).ok());
  EXPECT_FALSE(ParseSpdx(nlohmann::json::object()).ok());
  auto bom = CycloneDxBom();
  bom["bomFormat"] = "SPDX";
  EXPECT_FALSE(ParseCycloneDx(bom).ok());
  bom = CycloneDxBom();
  bom["components"][0].erase("name");
  EXPECT_FALSE(ParseCycloneDx(bom).ok());
  // An empty object signed as an SBOM is not one.
  EXPECT_FALSE(ParsePredicate(kCycloneDxPredicateType, nlohmann::json::object()).ok());
}

TEST(Slsa, BuilderSourceAndCommit) {
  auto p = ParseSlsaProvenance(SlsaProvenance("https://github.com/actions/runner/github-hosted",
                                              "git+https://github.com/acme/app@refs/heads/main",
                                              kCommit));
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->builder_id, "https://github.com/actions/runner/github-hosted");
  EXPECT_EQ(p->source_repository, "https://github.com/acme/app");
  EXPECT_EQ(p->source_ref, "refs/heads/main");
  EXPECT_EQ(p->source_commit, kCommit);
  EXPECT_NE(DescribeProvenance(*p).find("from https://github.com/acme/app"), std::string::npos);
}

TEST(Slsa, Sha1DigestAndNoRefAreASourceToo) {
  auto doc = SlsaProvenance("b", "https://gitlab.example/acme/app", kCommit);
  doc["buildDefinition"]["resolvedDependencies"][0]["digest"] = {{"sha1", kCommit}};
  auto p = ParseSlsaProvenance(doc);
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->source_repository, "https://gitlab.example/acme/app");
  EXPECT_EQ(p->source_ref, "");
}

TEST(Slsa, StrictAgainstTheV1Schema) {
  auto base = SlsaProvenance("b", "git+https://github.com/acme/app@refs/heads/main", kCommit);
  auto no_builder = base;
  no_builder["runDetails"]["builder"].erase("id");
  EXPECT_FALSE(ParseSlsaProvenance(no_builder).ok());
  auto v02 = base;
  v02["builder"] = {{"id", "x"}};  // a v0.2 member in a v1 document
  EXPECT_FALSE(ParseSlsaProvenance(v02).ok());
  auto bad_commit = base;
  bad_commit["buildDefinition"]["resolvedDependencies"][0]["digest"]["gitCommit"] = "HEAD";
  EXPECT_FALSE(ParseSlsaProvenance(bad_commit).ok());
  auto empty_dep = base;
  empty_dep["buildDefinition"]["resolvedDependencies"][0] = nlohmann::json::object();
  EXPECT_FALSE(ParseSlsaProvenance(empty_dep).ok());
}

TEST(Predicate, KindsAndNames) {
  EXPECT_EQ(KindOf("https://slsa.dev/provenance/v1"), PredicateKind::kSlsa);
  EXPECT_EQ(KindOf("https://slsa.dev/provenance/v0.2"), PredicateKind::kOther);
  EXPECT_EQ(ParseKindName("spdx").value(), PredicateKind::kSpdx);
  EXPECT_EQ(PredicateTypeOf(PredicateKind::kVuln), kVulnPredicateType);
  EXPECT_FALSE(ParseKindName("custom").ok());
}

}  // namespace
}  // namespace verified::attestation
