#include "verifier/signature/cosign_simple_signing.h"

#include <gtest/gtest.h>

#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/signature/manifest_binding.h"
#include "verifier/core/base64.h"

namespace verified::signature {
namespace {

using testing::ReadSigstoreJsonSignature;
using testing::SignatureFixture;
using testing::TestSigner;

constexpr char kDigest[] =
    "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

PublicKey CosignKey(const char* file) {
  auto key = PublicKey::Parse(SignatureFixture(std::string("cosign/") + file), file);
  if (!key.ok()) throw std::runtime_error(key.error().What());
  return *key;
}

struct Vector {
  const char* dir;
  const char* signature;
  const char* reference;
};
const Vector kValid[] = {
    {"dir-img-cosign-valid", "signature-1", "192.168.64.2:5000/cosign-signed-single-sample"},
    {"dir-img-cosign-valid-2", "signature-1", "192.168.64.2:5000/cosign-signed-single-sample"},
    {"dir-img-cosign-valid-2", "signature-2", "192.168.64.2:5000/cosign-signed-single-sample"},
    {"dir-img-cosign-valid-with-tag", "signature-1", "192.168.64.2:5000/skopeo-signed:tag"},
};

TEST(SimpleSigning, RealCosignSignaturesVerifyWithCosignPubAndBindTheirManifest) {
  PublicKey key = CosignKey("cosign.pub");
  for (const auto& v : kValid) {
    std::string dir = std::string("cosign/") + v.dir + "/";
    auto sig = ReadSigstoreJsonSignature(SignatureFixture(dir + v.signature));
    auto payload = VerifySimpleSigning(key, sig.payload, sig.signature_base64);
    ASSERT_TRUE(payload.ok()) << v.dir << ": " << payload.error().What();
    EXPECT_EQ(payload->manifest_digest, kDigest);
    EXPECT_EQ(payload->docker_reference, v.reference);
    EXPECT_EQ(payload->repository.rfind("192.168.64.2:5000/", 0), 0u);
    auto bound = VerifyManifestBinding(SignatureFixture(dir + "manifest.json"), *payload);
    EXPECT_TRUE(bound.ok()) << v.dir << ": " << bound.error().What();
  }
}

TEST(SimpleSigning, OptionalIsKept) {
  auto sig = ReadSigstoreJsonSignature(
      SignatureFixture("cosign/dir-img-cosign-valid-with-tag/signature-1"));
  auto payload = ParseSimpleSigningPayload(sig.payload);
  ASSERT_TRUE(payload.ok());
  EXPECT_EQ(payload->optional.value("creator", ""), "containers/image 5.21.2-dev");
  EXPECT_EQ(payload->repository, "192.168.64.2:5000/skopeo-signed");
}

TEST(SimpleSigning, RealSignaturesFailWithCosign2Pub) {
  PublicKey other = CosignKey("cosign2.pub");
  for (const auto& v : kValid) {
    auto sig = ReadSigstoreJsonSignature(
        SignatureFixture(std::string("cosign/") + v.dir + "/" + v.signature));
    auto payload = VerifySimpleSigning(other, sig.payload, sig.signature_base64);
    ASSERT_FALSE(payload.ok()) << v.dir;
    EXPECT_EQ(payload.error().kind(), ErrorKind::kIntegrity);
    EXPECT_NE(payload.error().What().find("key cosign2.pub"), std::string::npos)
        << payload.error().What();
  }
}

TEST(SimpleSigning, ModifiedManifestsAreRefusedByTheBinding) {
  PublicKey key = CosignKey("cosign.pub");
  for (const char* dir :
       {"dir-img-cosign-modified-manifest", "dir-img-cosign-manifest-digest-error"}) {
    std::string base = std::string("cosign/") + dir + "/";
    auto sig = ReadSigstoreJsonSignature(SignatureFixture(base + "signature-1"));
    // The signature itself is genuine: only the manifest it is presented with is not the one
    // it names.
    auto payload = VerifySimpleSigning(key, sig.payload, sig.signature_base64);
    ASSERT_TRUE(payload.ok()) << dir << ": " << payload.error().What();
    auto bound = VerifyManifestBinding(SignatureFixture(base + "manifest.json"), *payload);
    ASSERT_FALSE(bound.ok()) << dir;
    EXPECT_EQ(bound.error().kind(), ErrorKind::kIntegrity);
    EXPECT_NE(bound.error().What().find(std::string("but the signature is for ") + kDigest),
              std::string::npos)
        << bound.error().What();
  }
}

TEST(SimpleSigning, TamperedPayloadOrSignatureIsRefused) {
  PublicKey key = CosignKey("cosign.pub");
  auto sig = ReadSigstoreJsonSignature(SignatureFixture("cosign/dir-img-cosign-valid/signature-1"));
  std::string payload = sig.payload;
  payload[payload.find("634a")] = '7';
  EXPECT_FALSE(VerifySimpleSigning(key, payload, sig.signature_base64).ok());
  // Re-serialised JSON (a space added) is other bytes: the signature covers bytes, not meaning.
  std::string spaced = sig.payload;
  spaced.insert(1, " ");
  EXPECT_FALSE(VerifySimpleSigning(key, spaced, sig.signature_base64).ok());
  EXPECT_FALSE(VerifySimpleSigning(key, sig.payload, sig.signature_base64 + "\n").ok());
  EXPECT_FALSE(VerifySimpleSigning(key, sig.payload, "").ok());
}

std::string Payload(const std::string& critical, const std::string& rest = "") {
  return R"({"critical":)" + critical + rest + "}";
}
const std::string kGoodCritical =
    R"({"identity":{"docker-reference":"example.com/app"},"image":{"docker-manifest-digest":")" +
    std::string(kDigest) + R"("},"type":"cosign container image signature"})";

TEST(SimpleSigningPayload, StrictFields) {
  ASSERT_TRUE(ParseSimpleSigningPayload(Payload(kGoodCritical)).ok());
  ASSERT_TRUE(ParseSimpleSigningPayload(Payload(kGoodCritical, R"(,"optional":{"a":1})")).ok());
  struct Bad {
    std::string payload;
    const char* why;
  };
  std::string dup_critical = kGoodCritical;
  dup_critical.insert(1, R"("type":"x",)");
  std::string extra = kGoodCritical;
  extra.insert(1, R"("extra":1,)");
  std::string wrong_type = kGoodCritical;
  wrong_type.replace(wrong_type.find("cosign container"), 6, "atomic");
  std::string bad_digest = kGoodCritical;
  bad_digest.replace(bad_digest.find("sha256:"), 7, "sha512:");
  std::string bad_ref = kGoodCritical;
  bad_ref.replace(bad_ref.find("example.com/app"), 15, "Example.com/App");
  std::string missing_image =
      R"({"identity":{"docker-reference":"a/b"},"type":"cosign container image signature"})";
  std::string folded = kGoodCritical;
  folded.insert(1, R"("Type":"cosign container image signature",)");
  for (const Bad& b : {
           Bad{Payload(kGoodCritical, R"(,"critical":{})"), "key \"critical\" twice"},
           Bad{Payload(dup_critical), "key \"type\" twice"},
           Bad{Payload(folded), "treats as one"},
           Bad{Payload(extra), "unknown member \"extra\""},
           Bad{Payload(wrong_type), "critical.type"},
           Bad{Payload(bad_digest), "docker-manifest-digest"},
           Bad{Payload(bad_ref), "docker-reference"},
           Bad{Payload(missing_image), "missing member \"image\""},
           Bad{Payload(kGoodCritical, R"(,"optional":"x")"), "optional"},
           Bad{Payload(kGoodCritical, R"(,"other":1)"), "unknown member \"other\""},
           Bad{R"({"optional":null})", "missing member \"critical\""},
           Bad{"[]", "want an object"},
           Bad{Payload(kGoodCritical) + "x", "simple-signing payload"},
       }) {
    auto p = ParseSimpleSigningPayload(b.payload);
    ASSERT_FALSE(p.ok()) << b.payload;
    EXPECT_NE(p.error().What().find(b.why), std::string::npos) << p.error().What();
  }
  auto big = ParseSimpleSigningPayload(std::string(kMaxSimpleSigningPayloadBytes + 1, ' '));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().kind(), ErrorKind::kTooLarge);
}

TEST(SimpleSigning, SignaturesMadeAtTestTimeWithEachKeyType) {
  std::string payload = Payload(kGoodCritical, R"(,"optional":null)");
  struct Case {
    const char* kind;
    const char* md;
  };
  for (const Case& c : {Case{"P-256", "SHA256"}, Case{"P-384", "SHA384"},
                        Case{"RSA-2048", "SHA256"}, Case{"ED25519", ""}}) {
    TestSigner signer(c.kind);
    auto key = PublicKey::Parse(signer.PublicPem(), c.kind);
    ASSERT_TRUE(key.ok());
    auto p = VerifySimpleSigning(*key, payload, Base64Encode(signer.Sign(payload, c.md)));
    ASSERT_TRUE(p.ok()) << c.kind << ": " << p.error().What();
    EXPECT_EQ(p->docker_reference, "example.com/app");
  }
}

TEST(SimpleSigning, AnUnparseablePayloadIsOnlyReportedOnceSigned) {
  TestSigner signer("P-256");
  auto key = PublicKey::Parse(signer.PublicPem(), "k");
  ASSERT_TRUE(key.ok());
  auto p = VerifySimpleSigning(*key, "{}", Base64Encode(signer.Sign("{}", "SHA256")));
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.error().What().find("signed by key k"), std::string::npos) << p.error().What();
  auto unsigned_p = VerifySimpleSigning(*key, "{}", Base64Encode(signer.Sign("{ }", "SHA256")));
  ASSERT_FALSE(unsigned_p.ok());
  EXPECT_EQ(unsigned_p.error().kind(), ErrorKind::kIntegrity);
}

TEST(ManifestBinding, Digests) {
  EXPECT_TRUE(VerifyManifestBinding(
                  "", "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
                  .ok());
  EXPECT_EQ(VerifyManifestBinding("", "sha512:00").error().kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(VerifyManifestBinding("", "sha256:E3").error().kind(), ErrorKind::kParse);
  EXPECT_EQ(VerifyManifestBinding(std::string(kMaxManifestBytes + 1, ' '), kDigest).error().kind(),
            ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified::signature
