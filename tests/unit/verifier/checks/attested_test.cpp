#include "verifier/checks/attested.h"

#include <gtest/gtest.h>

#include "unit/verifier/attestation/attestation_test_util.h"
#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/attestation/attestation_store.h"
#include "verifier/attestation/predicate.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signature_requirements.h"
#include "verifier/registry/registration_store.h"

namespace verified {
namespace {

using testing::AttestationBundle;
using testing::DaysAgo;
using testing::MakeTestImage;
using testing::SignedFixture;
using testing::StatementFor;

const std::string kCommit = "0123456789abcdef0123456789abcdef01234567";
const std::string kBuilder = "https://github.com/actions/runner/github-hosted";

Result<std::vector<RequirementPtr>> Parse(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items()) {
    VERIFIED_ASSIGN_OR_RETURN(RequirementPtr r, MakeRequirement(name, value));
    reqs.push_back(std::move(r));
  }
  VERIFIED_ASSIGN_OR_RETURN(reqs, CombineSignatureRequirements(std::move(reqs)));
  return CombineAttestationRequirements(std::move(reqs));
}

class AttestedTest : public ::testing::Test {
 protected:
  SignedFixture f{{"ci", "scanner", "other"}};
  testing::TestImage img = MakeTestImage("app");
  ResolvedImage resolved = f.Resolved(img, {"docker.io/acme/app:1"});

  void Attest(const std::string& key, std::string_view type, const nlohmann::json& predicate,
              const std::string& subject = "") {
    std::string bundle = AttestationBundle(
        f.signer(key), StatementFor(subject.empty() ? img.manifest_digest : subject,
                                    std::string(type), predicate));
    auto st =
        attestation::StoreAttestation(f.config_dir(), img.manifest_digest, bundle, img.manifest);
    ASSERT_TRUE(st.ok()) << st.error().What();
  }
  void Scan(const std::string& key, const std::string& finished,
            const std::vector<std::pair<std::string, std::string>>& vulns) {
    Attest(key, attestation::kVulnPredicateType, testing::VulnPredicate(finished, vulns));
  }
  Finding Check(const nlohmann::json& require) {
    auto reqs = Parse(require);
    EXPECT_TRUE(reqs.ok()) << reqs.error().What();
    RegistrationStore regs(f.config_dir());
    CheckContext ctx{resolved, nullptr, false, nullptr, nullptr, regs};
    for (const auto& r : *reqs) {
      if (AttestationRuleOf(*r) != nullptr) return r->Check(ctx);
    }
    ADD_FAILURE() << "no attestation requirement";
    return {};
  }
};

void ExpectRefused(const Finding& f, std::string_view why) {
  EXPECT_EQ(f.outcome, Outcome::kFail) << f.message;
  EXPECT_NE(f.message.find(why), std::string::npos) << f.message;
}

TEST_F(AttestedTest, CleanRecentScanPassesAndSaysWhatItFound) {
  Scan("ci", DaysAgo(1), {{"CVE-2024-0002", "HIGH"}});
  Finding r = Check(
      {{"attested_by", "ci"}, {"vulnerabilities", "critical:0,high:5"}, {"scan_max_age_days", 7}});
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("by key ci: vuln (https://cosign.sigstore.dev/attestation/vuln/v1): "
                           "scan by pkg:github/aquasecurity/trivy@0.58.1"),
            std::string::npos)
      << r.message;
  EXPECT_NE(r.message.find("0 critical, 1 high"), std::string::npos) << r.message;
}

TEST_F(AttestedTest, CriticalsOverTheLimitAreRefusedWithCountAndIds) {
  Scan("ci", DaysAgo(1),
       {{"CVE-2024-0001", "CRITICAL"}, {"CVE-2024-0003", "CRITICAL"}, {"CVE-9", "HIGH"}});
  ExpectRefused(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0,high:5"}}),
                "lists 2 critical over the limit of 0: CVE-2024-0001, CVE-2024-0003");
}

TEST_F(AttestedTest, TheNewestScanDecides) {
  Scan("ci", DaysAgo(3), {{"CVE-2024-0001", "CRITICAL"}});
  Scan("ci", DaysAgo(1), {});
  EXPECT_EQ(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}}).outcome,
            Outcome::kPass);
  Scan("ci", DaysAgo(0), {{"CVE-2024-0004", "CRITICAL"}});
  ExpectRefused(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}}), "CVE-2024-0004");
}

TEST_F(AttestedTest, ExpiredScanIsRefused) {
  Scan("ci", DaysAgo(40), {});
  ExpectRefused(Check({{"signed_by", "ci"}, {"scan_max_age_days", 30}}),
                "is 40 days old (scan_max_age_days 30)");
}

TEST_F(AttestedTest, NoScanAtAllIsRefused) {
  ExpectRefused(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}}),
                "no valid vulnerability scan");
}

TEST_F(AttestedTest, AttestationForAnotherDigestDoesNotCount) {
  auto other = MakeTestImage("other");
  Attest("ci", attestation::kVulnPredicateType, testing::VulnPredicate(DaysAgo(1), {}),
         other.manifest_digest);
  Finding r = Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}});
  ExpectRefused(r, "it attests " + other.manifest_digest + ", not " + img.manifest_digest);
}

TEST_F(AttestedTest, UntrustedAndOtherKeysDoNotCount) {
  Scan("other", DaysAgo(1), {});
  Finding r = Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}});
  ExpectRefused(r, "signed by key other, which this rule does not accept");
  testing::TestSigner stranger("P-256");
  std::string bundle = AttestationBundle(
      stranger, StatementFor(img.manifest_digest, std::string(attestation::kVulnPredicateType),
                             testing::VulnPredicate(DaysAgo(1), {})));
  ASSERT_TRUE(
      attestation::StoreAttestation(f.config_dir(), img.manifest_digest, bundle, std::nullopt)
          .ok());
  ExpectRefused(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}}),
                "signed by no trusted key");
  // attested_by replaces signed_by's keys.
  EXPECT_EQ(
      Check({{"signed_by", "ci"}, {"attested_by", "other"}, {"vulnerabilities", "critical:0"}})
          .outcome,
      Outcome::kPass);
}

TEST_F(AttestedTest, SbomRequired) {
  ExpectRefused(Check({{"signed_by", "ci"}, {"sbom", true}}), "no valid SBOM attestation");
  Attest("ci", attestation::kCycloneDxPredicateType, testing::CycloneDxBom());
  Finding r = Check({{"signed_by", "ci"}, {"sbom", true}});
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("CycloneDX 1.5 document"), std::string::npos) << r.message;
}

TEST_F(AttestedTest, ProvenanceBuilderAndSourceGlobs) {
  Attest("ci", attestation::kSlsaProvenanceV1,
         testing::SlsaProvenance(kBuilder, "git+https://github.com/acme/app@refs/heads/main",
                                 kCommit));
  EXPECT_EQ(Check({{"signed_by", "ci"},
                   {"provenance_builder", "https://github.com/actions/runner/*"},
                   {"provenance_source", "https://github.com/acme/*"}})
                .outcome,
            Outcome::kPass);
  ExpectRefused(Check({{"signed_by", "ci"}, {"provenance_builder", "https://gitlab.com/**"}}),
                "no provenance with builder https://gitlab.com/**: built by " + kBuilder);
  // '*' stops at '/': another organisation's repository does not match.
  ExpectRefused(Check({{"signed_by", "ci"}, {"provenance_source", "https://github.com/evil/*"}}),
                "from https://github.com/acme/app");
}

TEST_F(AttestedTest, PolicyErrors) {
  EXPECT_FALSE(Parse({{"sbom", true}}).ok());         // no keys
  EXPECT_FALSE(Parse({{"attested_by", "ci"}}).ok());  // nothing to attest
  EXPECT_FALSE(Parse({{"signed_by", "ci"}, {"vulnerabilities", "critical"}}).ok());
  EXPECT_FALSE(Parse({{"signed_by", "ci"}, {"vulnerabilities", "severe:1"}}).ok());
  EXPECT_FALSE(Parse({{"signed_by", "ci"}, {"vulnerabilities", "high:1,high:2"}}).ok());
  EXPECT_FALSE(Parse({{"signed_by", "ci"}, {"scan_max_age_days", 0}}).ok());
  EXPECT_FALSE(Parse({{"signed_by", "ci"}, {"sbom", false}}).ok());
  auto obj = Parse({{"attested_by", "ci"}, {"vulnerabilities", {{"critical", 0}, {"high", 5}}}});
  ASSERT_TRUE(obj.ok()) << obj.error().What();
  const AttestationRule* rule = AttestationRuleOf(*obj->back());
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->max_vulns[static_cast<size_t>(attestation::Severity::kHigh)], 5u);
  EXPECT_EQ(AttestedByKeys(*obj->back()), std::vector<std::string>{"ci"});
}

TEST_F(AttestedTest, EditedStoredBundleFailsClosed) {
  Scan("ci", DaysAgo(1), {});
  auto stored = attestation::AttestationsFor(f.config_dir(), img.manifest_digest);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->bundles.size(), 1u);
  {
    std::FILE* fp = std::fopen(stored->bundles[0].path.c_str(), "a");
    std::fputs(" ", fp);
    std::fclose(fp);
  }
  ExpectRefused(Check({{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}}),
                "the attestation store cannot be read");
}

}  // namespace
}  // namespace verified
