#include "verifier/attestation/attestation_bundle.h"

#include <gtest/gtest.h>

#include "unit/verifier/attestation/attestation_test_util.h"
#include "verifier/core/base64.h"
#include "verifier/signature/sigstore_bundle.h"

namespace verified::attestation {
namespace {

using testing::AttestationBundle;
using testing::SignatureFixture;
using testing::StatementFor;
using testing::TestSigner;

const std::string kDigest =
    "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4";

signature::PublicKey Key(const TestSigner& s, const std::string& name) {
  return signature::PublicKey::Parse(s.PublicPem(), name).value();
}

TEST(AttestationBundle, RealCosignKeylessAttestationIsRefusedAsKeyless) {
  std::string text =
      SignatureFixture("sigstore-bundle/cosign-attest-oci-keyless/bundle.sigstore.json");
  auto leaf = signature::PublicKey::Parse(
      SignatureFixture("sigstore-bundle/cosign-attest-oci-keyless/leaf-pubkey.pem"), "leaf");
  ASSERT_TRUE(leaf.ok()) << leaf.error().What();
  // Even with the certificate's own key trusted, a keyless bundle is not accepted: its
  // identity lives in a Fulcio certificate this offline verifier cannot check.
  auto v = VerifyAttestationBundle(text, {*leaf});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(v.error().What().find("keyless bundle (Fulcio certificate)"), std::string::npos)
      << v.error().What();
  // Its envelope is the shape read here: DSSE over an in-toto Statement v0.1 naming the
  // image's manifest digest with cosign's custom predicate, and the signature holds.
  auto doc = nlohmann::json::parse(text);
  auto env = signature::ParseDsseEnvelope(doc["dsseEnvelope"], kMaxAttestationPayloadBytes);
  ASSERT_TRUE(env.ok()) << env.error().What();
  EXPECT_EQ(env->payload_type, signature::kInTotoPayloadType);
  EXPECT_TRUE(signature::VerifyDsse(*leaf, *env).ok());
  nlohmann::json predicate;
  auto st = signature::ParseInTotoStatement(env->payload, kMaxAttestationPayloadBytes, &predicate);
  ASSERT_TRUE(st.ok()) << st.error().What();
  EXPECT_EQ(st->type, signature::kInTotoStatementV01);
  EXPECT_EQ(st->predicate_type, "https://cosign.sigstore.dev/attestation/v1");
  EXPECT_TRUE(st->HasSubject(kDigest));
  EXPECT_EQ(predicate["Data"], "{\"foo\": \"bar\"}\n");
  EXPECT_EQ(ParsePredicate(st->predicate_type, predicate)->kind, PredicateKind::kOther);
}

TEST(AttestationBundle, KeyBasedAttestationVerifiesAndParsesItsPredicate) {
  TestSigner ci("P-256"), other("P-256");
  std::string bundle = AttestationBundle(
      ci, StatementFor(kDigest, std::string(kVulnPredicateType),
                       testing::VulnPredicate("2026-12-01T10:00:05Z", {{"CVE-1", "CRITICAL"}})));
  auto v = VerifyAttestationBundle(bundle, {Key(other, "other"), Key(ci, "ci")});
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->key_name, "ci");
  EXPECT_TRUE(v->statement.HasSubject(kDigest));
  EXPECT_EQ(v->predicate.kind, PredicateKind::kVuln);
  EXPECT_EQ(v->predicate.vuln.counts[static_cast<size_t>(Severity::kCritical)], 1u);
  auto peek = PeekAttestationBundle(bundle);
  ASSERT_TRUE(peek.ok());
  EXPECT_EQ(peek->predicate_type, kVulnPredicateType);
}

TEST(AttestationBundle, UntrustedKeyIsRefusedNamingEachKeyTried) {
  TestSigner ci("P-256"), stranger("P-256");
  std::string bundle = AttestationBundle(
      stranger, StatementFor(kDigest, std::string(kSpdxPredicateType), testing::SpdxDocument()));
  auto v = VerifyAttestationBundle(bundle, {Key(ci, "ci")});
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(v.error().What().find("signed by no trusted key"), std::string::npos);
  EXPECT_NE(v.error().What().find("key ci"), std::string::npos) << v.error().What();
  EXPECT_EQ(VerifyAttestationBundle(bundle, {}).error().kind(), ErrorKind::kNotFound);
}

TEST(AttestationBundle, ImageSignaturesAndBadPredicatesAreNotAttestations) {
  TestSigner ci("P-256");
  auto key = Key(ci, "ci");
  std::string sig = AttestationBundle(
      ci, StatementFor(kDigest, std::string(signature::kCosignSignPredicate), nullptr));
  auto s = VerifyAttestationBundle(sig, {key});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().What().find("signature import"), std::string::npos) << s.error().What();
  std::string bad = AttestationBundle(
      ci, StatementFor(kDigest, std::string(kSlsaProvenanceV1), {{"builder", {{"id", "x"}}}}));
  auto b = VerifyAttestationBundle(bad, {key});
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().What().find("SLSA provenance"), std::string::npos) << b.error().What();
}

TEST(AttestationBundle, LegacyDsseEnvelopeReadsAsTheBundleItIsEquivalentTo) {
  TestSigner ci("P-256");
  auto bundle = nlohmann::json::parse(AttestationBundle(
      ci, StatementFor(kDigest, std::string(kSpdxPredicateType), testing::SpdxDocument())));
  // The `.att` layer cosign writes: the envelope alone.
  std::string envelope = bundle["dsseEnvelope"].dump();
  EXPECT_TRUE(LooksLikeDsseEnvelope(envelope));
  EXPECT_FALSE(LooksLikeDsseEnvelope(bundle.dump()));
  auto wrapped = BundleFromDsseEnvelope(envelope);
  ASSERT_TRUE(wrapped.ok()) << wrapped.error().What();
  auto v = VerifyAttestationBundle(*wrapped, {Key(ci, "ci")});
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->predicate.kind, PredicateKind::kSpdx);
  // A changed payload still wraps, and no longer verifies.
  auto tampered = bundle["dsseEnvelope"];
  tampered["payload"] = Base64Encode(
      StatementFor(kDigest, std::string(kCycloneDxPredicateType), testing::CycloneDxBom()));
  auto t = BundleFromDsseEnvelope(tampered.dump());
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(VerifyAttestationBundle(*t, {Key(ci, "ci")}).ok());
  // Not an envelope: refused naming the member.
  EXPECT_FALSE(BundleFromDsseEnvelope(R"({"payloadType":"x"})").ok());
  EXPECT_FALSE(BundleFromDsseEnvelope("[]").ok());
}

TEST(AttestationBundle, A5MiBReportParsesAndTheLimitsHold) {
  TestSigner ci("P-256");
  std::vector<std::pair<std::string, std::string>> vulns;
  for (int i = 0; i < 40000; ++i) vulns.emplace_back(fmt::format("CVE-2024-{:05}", i), "MEDIUM");
  auto predicate = testing::VulnPredicate("2026-12-01T10:00:05Z", vulns);
  // Pad each entry with a description as Trivy writes, to about 5 MiB.
  for (auto& v : predicate["scanner"]["result"]["Results"][0]["Vulnerabilities"]) {
    v["Description"] = std::string(100, 'd');
  }
  std::string statement = StatementFor(kDigest, std::string(kVulnPredicateType), predicate);
  ASSERT_GT(statement.size(), 5u * 1024 * 1024);
  auto v = VerifyAttestationBundle(AttestationBundle(ci, statement), {Key(ci, "ci")});
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->predicate.vuln.counts[static_cast<size_t>(Severity::kMedium)], 40000u);
  EXPECT_EQ(v->predicate.vuln.ids[static_cast<size_t>(Severity::kMedium)].size(), kMaxIdsKept);
  // Past the payload limit: refused before any signature work.
  std::string huge(kMaxAttestationPayloadBytes + 1, ' ');
  auto h = VerifyAttestationBundle(AttestationBundle(ci, huge), {Key(ci, "ci")});
  ASSERT_FALSE(h.ok());
  EXPECT_EQ(h.error().kind(), ErrorKind::kTooLarge) << h.error().What();
}

}  // namespace
}  // namespace verified::attestation
