#include "verifier/signature/signature_record.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/signature/sigstore_json_signature.h"
#include "verifier/core/base64.h"

namespace verified::signature {
namespace {

using testing::SignatureFixture;
using testing::TestSigner;

const std::string kSignedDigest =
    "sha256:634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";

SignatureRecord FixtureRecord(const std::string& dir, const std::string& file = "signature-1") {
  auto sig = ParseSigstoreJsonSignature(SignatureFixture("cosign/" + dir + "/" + file)).value();
  SignatureRecord r;
  r.payload = sig.payload;
  r.signature_base64 = sig.signature_base64;
  r.digest = kSignedDigest;
  r.imported_by = "root (uid 0)";
  r.imported_at = "2026-12-07T16:00:00Z";
  r.source = dir;
  return r;
}

std::vector<PublicKey> Keys(std::initializer_list<const char*> names) {
  std::vector<PublicKey> out;
  for (const char* n : names) {
    out.push_back(
        PublicKey::Parse(SignatureFixture(std::string("cosign/") + n + ".pub"), n).value());
  }
  return out;
}

std::string Statement(const std::string& digest_hex, const std::string& predicate) {
  return "{\"_type\":\"https://in-toto.io/Statement/v1\",\"subject\":[{\"digest\":{\"sha256\":\"" +
         digest_hex + "\"}}],\"predicateType\":\"" + predicate + "\"}";
}

std::string Bundle(const TestSigner& signer, const std::string& statement) {
  std::string sig = signer.Sign(DssePae(kInTotoPayloadType, statement), "SHA256");
  nlohmann::json b = {{"mediaType", kBundleMediaTypeV03},
                      {"verificationMaterial", {{"publicKey", {{"hint", "h"}}}}},
                      {"dsseEnvelope",
                       {{"payload", Base64Encode(statement)},
                        {"payloadType", kInTotoPayloadType},
                        {"signatures", {{{"sig", Base64Encode(sig)}}}}}}};
  return b.dump();
}

TEST(SignatureRecord, RoundTripsAndIdFollowsTheMaterialOnly) {
  SignatureRecord r = FixtureRecord("dir-img-cosign-valid");
  std::string text = SerializeSignatureRecord(r);
  EXPECT_EQ(text.rfind("{\"version\":1,\"format\":\"simple-signing\",\"digest\":\"sha256:", 0), 0u)
      << text;
  auto back = ParseSignatureRecord(text);
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_EQ(back->payload, r.payload);
  EXPECT_EQ(back->signature_base64, r.signature_base64);
  EXPECT_EQ(back->imported_at, r.imported_at);
  EXPECT_EQ(SignatureRecordId(*back), SignatureRecordId(r));
  SignatureRecord other = r;
  other.imported_by = "someone else";
  EXPECT_EQ(SignatureRecordId(other), SignatureRecordId(r));
  other.payload += " ";
  EXPECT_NE(SignatureRecordId(other), SignatureRecordId(r));
  EXPECT_EQ(SignatureRecordId(r).size(), 64u);
}

TEST(SignatureRecord, ParserRefusesWhatIsNotExactlyARecord) {
  auto j = nlohmann::json::parse(SerializeSignatureRecord(FixtureRecord("dir-img-cosign-valid")));
  auto refused = [](const std::string& text, std::string_view why) {
    auto r = ParseSignatureRecord(text);
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_NE(r.error().What().find(why), std::string::npos) << r.error().What();
  };
  auto with = [&](auto edit) {
    auto copy = j;
    edit(copy);
    return copy.dump();
  };
  refused(with([](auto& x) { x["extra"] = 1; }), "unknown member \"extra\"");
  refused(with([](auto& x) { x["version"] = 2; }), "version must be 1");
  refused(with([](auto& x) { x["format"] = "gpg"; }), "unknown format");
  refused(with([](auto& x) { x["digest"] = "sha512:00"; }), "digest");
  refused(with([](auto& x) { x["bundle"] = "AAAA"; }), "unknown member \"bundle\"");
  refused(with([](auto& x) { x.erase("signature"); }), "missing member \"signature\"");
  refused(with([](auto& x) { x["payload"] = std::string(x["payload"]) + "\n"; }), "payload");
  refused(with([](auto& x) { x["signature"] = "MEU"; }), "signature");
  refused(with([](auto& x) { x["source"] = 5; }), "source");
  std::string dup = j.dump();
  dup.insert(1, "\"digest\":\"sha256:" + std::string(64, '0') + "\",");
  refused(dup, "twice");
  refused("[]", "not a JSON object");
  refused(std::string(kMaxSignatureRecordBytes + 1, ' '), "limit");
}

TEST(SignatureRecord, RealCosignVectorsVerifyWithCosignPubOnly) {
  for (const char* dir : {"dir-img-cosign-valid", "dir-img-cosign-valid-with-tag"}) {
    auto v = VerifySignatureRecord(FixtureRecord(dir), Keys({"cosign2", "cosign"}));
    ASSERT_TRUE(v.ok()) << dir << ": " << v.error().What();
    EXPECT_EQ(v->key_name, "cosign");
    EXPECT_FALSE(v->docker_reference.empty());
    auto s = SignedDigest(FixtureRecord(dir), Keys({"cosign"}));
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*s, kSignedDigest);
  }
  auto other = VerifySignatureRecord(FixtureRecord("dir-img-cosign-valid"), Keys({"cosign2"}));
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.error().What().find("signed by no trusted key"), std::string::npos);
  auto none = VerifySignatureRecord(FixtureRecord("dir-img-cosign-valid"), {});
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().kind(), ErrorKind::kNotFound);
  // A genuine signature stored under another digest proves nothing for that digest.
  SignatureRecord moved = FixtureRecord("dir-img-cosign-valid");
  moved.digest = "sha256:" + std::string(64, 'a');
  auto m = VerifySignatureRecord(moved, Keys({"cosign"}));
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().What().find("not sha256:aaaa"), std::string::npos) << m.error().What();
}

TEST(SignatureRecord, BundlesCountOnlyWithTheCosignPredicateAndTheirSubject) {
  TestSigner signer("P-256");
  std::vector<PublicKey> keys{PublicKey::Parse(signer.PublicPem(), "ci").value()};
  std::string hex(64, 'c');
  SignatureRecord r;
  r.format = SignatureFormat::kSigstoreBundle;
  r.digest = "sha256:" + hex;
  r.bundle = Bundle(signer, Statement(hex, std::string(kCosignSignPredicate)));
  auto back = ParseSignatureRecord(SerializeSignatureRecord(r));
  ASSERT_TRUE(back.ok()) << back.error().What();
  auto v = VerifySignatureRecord(*back, keys);
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->key_name, "ci");
  EXPECT_EQ(v->docker_reference, "");
  EXPECT_EQ(SignedDigest(r, keys).value(), r.digest);

  SignatureRecord attestation = r;
  attestation.bundle = Bundle(signer, Statement(hex, "https://slsa.dev/provenance/v1"));
  auto a = VerifySignatureRecord(attestation, keys);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().What().find("not an image signature"), std::string::npos);

  SignatureRecord elsewhere = r;
  elsewhere.digest = "sha256:" + std::string(64, 'd');
  EXPECT_FALSE(VerifySignatureRecord(elsewhere, keys).ok());
  TestSigner stranger("P-256");
  std::vector<PublicKey> other{PublicKey::Parse(stranger.PublicPem(), "other").value()};
  EXPECT_FALSE(VerifySignatureRecord(r, other).ok());
}

TEST(SigstoreJsonSignature, ParsesTheFixturesAndRefusesOtherFormats) {
  auto s =
      ParseSigstoreJsonSignature(SignatureFixture("cosign/dir-img-cosign-valid-2/signature-2"));
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->payload.rfind("{\"critical\":", 0), 0u);
  std::string file = SignatureFixture("cosign/dir-img-cosign-valid/signature-1");
  auto gpg = ParseSigstoreJsonSignature(file.substr(15));
  ASSERT_FALSE(gpg.ok());
  EXPECT_EQ(gpg.error().kind(), ErrorKind::kUnsupported);
  auto j = nlohmann::json::parse(file.substr(15));
  auto refused = [](nlohmann::json doc, std::string_view why) {
    auto r = ParseSigstoreJsonSignature(std::string(kSigstoreJsonPrefix) + doc.dump());
    ASSERT_FALSE(r.ok()) << why;
    EXPECT_NE(r.error().What().find(why), std::string::npos) << r.error().What();
  };
  auto copy = j;
  copy["mimeType"] = "application/json";
  refused(copy, "mimeType");
  copy = j;
  copy["annotations"].erase(std::string(kCosignSignatureAnnotation));
  refused(copy, "dev.cosignproject.cosign/signature");
  copy = j;
  copy["annotations"]["x"] = 1;
  refused(copy, "not a string");
  copy = j;
  copy["extra"] = 1;
  refused(copy, "unknown member");
}

}  // namespace
}  // namespace verified::signature
