#include "verifier/signature/sigstore_bundle.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/core/base64.h"

namespace verified::signature {
namespace {

using testing::SignatureFixture;
using testing::TestSigner;

PublicKey FixtureKey(const std::string& rel) {
  auto key = PublicKey::Parse(SignatureFixture("sigstore-bundle/" + rel), rel);
  if (!key.ok()) throw std::runtime_error(key.error().What());
  return *key;
}

TEST(SigstoreBundle, KeyBasedDsseVectorVerifiesWithP384AndSha384) {
  PublicKey key = FixtureKey("model-signing-key-dsse/signing-key-pub.pem-block");
  EXPECT_EQ(key.type(), KeyType::kEcdsaP384);
  auto b = VerifySigstoreBundle(
      key, SignatureFixture("sigstore-bundle/model-signing-key-dsse/bundle.sigstore.json"));
  ASSERT_TRUE(b.ok()) << b.error().What();
  EXPECT_EQ(b->statement.type, kInTotoStatementV1);
  EXPECT_EQ(b->statement.predicate_type, "https://model_signing/signature/v1.0");
  ASSERT_EQ(b->statement.subject_digests.size(), 1u);
  EXPECT_TRUE(b->statement.HasSubject(
      "sha256:92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4"));
  EXPECT_EQ(b->statement.subject_names[0], "v1.1.0-elliptic-key");
  EXPECT_EQ(b->key_hint, "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
}

TEST(SigstoreBundle, FlippedPayloadAndOtherKeysFail) {
  PublicKey key = FixtureKey("model-signing-key-dsse/signing-key-pub.pem-block");
  auto flipped = VerifySigstoreBundle(
      key, SignatureFixture(
               "sigstore-bundle/negative/model-signing-key-dsse.payload-flipped.sigstore.json"));
  ASSERT_FALSE(flipped.ok());
  EXPECT_EQ(flipped.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(flipped.error().What().find("DSSE signature"), std::string::npos);
  // The hint in the bundle does not choose the key: another key simply fails.
  PublicKey cosign = PublicKey::Parse(SignatureFixture("cosign/cosign.pub"), "cosign").value();
  auto other = VerifySigstoreBundle(
      cosign, SignatureFixture("sigstore-bundle/model-signing-key-dsse/bundle.sigstore.json"));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().What().find("key cosign"), std::string::npos) << other.error().What();
  EXPECT_NE(other.error().What().find("e8450dec"), std::string::npos) << other.error().What();
}

TEST(SigstoreBundle, KeylessCosignV3BundleIsRefusedButItsDsseIsTheCosignShape) {
  std::string text =
      SignatureFixture("sigstore-bundle/cosign-v3-sign-keyless/bundle.sigstore.json");
  PublicKey leaf = FixtureKey("cosign-v3-sign-keyless/leaf-pubkey.pem");
  auto b = VerifySigstoreBundle(leaf, text);
  ASSERT_FALSE(b.ok());
  EXPECT_EQ(b.error().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(b.error().What().find("keyless"), std::string::npos) << b.error().What();
  // The envelope inside is a real cosign v3 image signature: the DSSE layer verifies it with
  // the certificate's key, over the PAE of the payload bytes as they are.
  auto doc = nlohmann::json::parse(text);
  auto env = ParseDsseEnvelope(doc["dsseEnvelope"]);
  ASSERT_TRUE(env.ok()) << env.error().What();
  ASSERT_TRUE(VerifyDsse(leaf, *env).ok());
  auto st = ParseInTotoStatement(env->payload);
  ASSERT_TRUE(st.ok()) << st.error().What();
  EXPECT_EQ(st->predicate_type, kCosignSignPredicate);
  EXPECT_TRUE(
      st->HasSubject("sha256:c811d58de79c92f03214e63aa339484e488d694ae8a6283b5f3f17a9faf50172"));
  // The flipped copy names another digest and no longer verifies.
  auto neg = nlohmann::json::parse(SignatureFixture(
      "sigstore-bundle/negative/cosign-v3-sign-keyless.payload-flipped.sigstore.json"));
  auto neg_env = ParseDsseEnvelope(neg["dsseEnvelope"]);
  ASSERT_TRUE(neg_env.ok());
  EXPECT_FALSE(VerifyDsse(leaf, *neg_env).ok());
}

TEST(SigstoreBundle, MessageSignatureAndOldVersionsAreRefused) {
  PublicKey key = FixtureKey("conformance-managed-key/key.pub");
  auto m = VerifySigstoreBundle(
      key, SignatureFixture("sigstore-bundle/conformance-managed-key/bundle.sigstore.json"));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().What().find("messageSignature"), std::string::npos) << m.error().What();
  PublicKey npm = FixtureKey("npm-publish-key-dsse-v0.1/publish_key.pub");
  auto v01 = VerifySigstoreBundle(
      npm, SignatureFixture("sigstore-bundle/npm-publish-key-dsse-v0.1/bundle.json"));
  ASSERT_FALSE(v01.ok());
  EXPECT_EQ(v01.error().kind(), ErrorKind::kUnsupported);
  EXPECT_NE(v01.error().What().find("version=0.1"), std::string::npos) << v01.error().What();
}

// A bundle as `cosign sign --key` v3 writes it, signed at test time.
std::string MakeBundle(const TestSigner& signer, const char* md, const std::string& payload,
                       const std::string& media_type = std::string(kBundleMediaTypeV03),
                       const std::string& payload_type = std::string(kInTotoPayloadType)) {
  std::string sig = signer.Sign(DssePae(payload_type, payload), md);
  nlohmann::json b = {
      {"mediaType", media_type},
      {"verificationMaterial",
       {{"publicKey", {{"hint", "hint-123"}}}, {"tlogEntries", nlohmann::json::array()}}},
      {"dsseEnvelope",
       {{"payload", Base64Encode(payload)},
        {"payloadType", payload_type},
        {"signatures", {{{"sig", Base64Encode(sig)}, {"keyid", ""}}}}}}};
  return b.dump();
}

const std::string kDigestHex = "c811d58de79c92f03214e63aa339484e488d694ae8a6283b5f3f17a9faf50172";
// Pretty-printed with odd spacing: verification must use these bytes, not a re-serialisation.
const std::string kStatement =
    "{\"_type\": \"https://in-toto.io/Statement/v1\",\n  \"subject\":[{\"digest\":{\"sha256\":\"" +
    kDigestHex +
    "\"},\"annotations\":{}}],\"predicateType\":\"https://sigstore.dev/cosign/sign/v1\"}";

TEST(SigstoreBundle, BundlesMadeAtTestTimeWithEachKeyTypeAndBothMediaTypes) {
  struct Case {
    const char* kind;
    const char* md;
  };
  for (const Case& c : {Case{"P-256", "SHA256"}, Case{"P-384", "SHA384"},
                        Case{"RSA-2048", "SHA256"}, Case{"ED25519", ""}}) {
    TestSigner signer(c.kind);
    auto key = PublicKey::Parse(signer.PublicPem(), c.kind).value();
    for (std::string_view mt : {kBundleMediaTypeV03, kBundleMediaTypeV03Alt}) {
      auto b = VerifySigstoreBundle(key, MakeBundle(signer, c.md, kStatement, std::string(mt)));
      ASSERT_TRUE(b.ok()) << c.kind << ": " << b.error().What();
      EXPECT_TRUE(b->statement.HasSubject("sha256:" + kDigestHex));
      EXPECT_EQ(b->statement.predicate_type, kCosignSignPredicate);
      EXPECT_EQ(b->key_hint, "hint-123");
    }
  }
}

TEST(SigstoreBundle, RefusesWhatIsNotAKeyBasedInTotoBundle) {
  TestSigner signer("P-256");
  auto key = PublicKey::Parse(signer.PublicPem(), "k").value();
  auto refused = [&](const std::string& bundle, std::string_view why) {
    auto b = VerifySigstoreBundle(key, bundle);
    ASSERT_FALSE(b.ok()) << why;
    EXPECT_NE(b.error().What().find(why), std::string::npos) << b.error().What();
  };
  refused(MakeBundle(signer, "SHA256", kStatement, "application/vnd.dev.sigstore.bundle.v0.2+json"),
          "is not a v0.3 bundle");
  refused(MakeBundle(signer, "SHA256", kStatement, std::string(kBundleMediaTypeV03),
                     "application/json"),
          "payloadType");
  std::string dup = kStatement;
  dup.insert(1, "\"predicateType\":\"x\",");
  refused(MakeBundle(signer, "SHA256", dup), "key \"predicateType\" twice");
  std::string v2 = kStatement;
  v2.replace(v2.find("Statement/v1"), 12, "Statement/v2");
  refused(MakeBundle(signer, "SHA256", v2), "_type");
  std::string sha512 = kStatement;
  sha512.replace(sha512.find("\"sha256\""), 8, "\"sha512\"");
  refused(MakeBundle(signer, "SHA256", sha512), "no sha256 digest");
  std::string extra = kStatement;
  extra.insert(1, "\"x\":1,");
  refused(MakeBundle(signer, "SHA256", extra), "unknown member \"x\"");
  refused(MakeBundle(signer, "SHA256", "{}"), "missing member \"_type\"");
  auto j = nlohmann::json::parse(MakeBundle(signer, "SHA256", kStatement));
  auto with = [&](auto edit) {
    auto copy = j;
    edit(copy);
    return copy.dump();
  };
  refused(with([](auto& b) {
            b["verificationMaterial"]["certificate"] = {{"rawBytes", "AA=="}};
          }),
          "keyless");
  refused(with([](auto& b) { b["verificationMaterial"]["publicKey"]["rawBytes"] = "AA=="; }),
          "unknown member \"rawBytes\"");
  refused(with([](auto& b) { b["messageSignature"] = nlohmann::json::object(); }),
          "messageSignature");
  refused(with([](auto& b) { b["extra"] = 1; }), "unknown member \"extra\"");
  refused(with([](auto& b) {
            b["dsseEnvelope"]["signatures"].push_back(b["dsseEnvelope"]["signatures"][0]);
          }),
          "exactly one signature");
  refused(with([](auto& b) { b["dsseEnvelope"]["signatures"] = nlohmann::json::array(); }),
          "exactly one signature");
  refused(with([](auto& b) {
            std::string p = b["dsseEnvelope"]["payload"];
            b["dsseEnvelope"]["payload"] = p.substr(0, p.size() - 1);
          }),
          "dsseEnvelope.payload");
  std::string text = j.dump();
  text.insert(1, "\"mediaType\":\"x\",");
  refused(text, "key \"mediaType\" twice");
  refused(std::string(kMaxBundleBytes + 1, ' '), "limit");
}

TEST(Dsse, Pae) {
  EXPECT_EQ(DssePae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  EXPECT_EQ(DssePae("", ""), "DSSEv1 0  0 ");
}

}  // namespace
}  // namespace verified::signature
