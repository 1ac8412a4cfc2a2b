// Signatures containers/storage keeps beside an image (use-sigstore-attachments), laid out as
// containers/image storage_dest.go writes them: "signatures" / "signature-<hex>" big-data items
// holding the signature blobs back to back, their sizes in the image record's metadata.
#include "verifier/signature/engine_signatures.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/verifier/signature/signing_test_util.h"
#include "unit/verifier/store/cstorage/fake_graphroot.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/image_signer.h"
#include "verifier/signature/public_key.h"
#include "verifier/signature/signature_record.h"
#include "verifier/signature/sigstore_json_signature.h"
#include "verifier/core/base64.h"
#include "verifier/store/cstorage/cstorage_store.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified::signature {
namespace {

using testing::FakeGraphRoot;

// A "\0sigstore-json\n" signature file as containers/image writes one.
std::string SigstoreJson(const std::string& payload, const std::string& sig_b64) {
  nlohmann::json j = {{"mimeType", kCosignSimpleSigningMimeType},
                      {"payload", Base64Encode(payload)},
                      {"annotations", {{std::string(kCosignSignatureAnnotation), sig_b64}}}};
  return std::string(kSigstoreJsonPrefix) + j.dump();
}

class EngineSignaturesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    image_ = root_.AddImage("app", 2, {"localhost/app:1"});
    root_.Flush();
    digest_ = image_.manifest_digest;
    payload_ = MakeSimpleSigningPayload("localhost/app", digest_);
    sig1_ = SigstoreJson(payload_, Base64Encode(signer_.Sign(payload_, "SHA256")));
    sig2_ = SigstoreJson(payload_, Base64Encode(signer_.Sign(payload_ + " ", "SHA256")));
  }
  // Stores `blob` under `key` and records `metadata` on the image, as c/image commits them.
  void Put(const std::string& key, const std::string& blob, const nlohmann::json& metadata) {
    root_.Write("overlay-images/" + image_.id + "/" + cstorage::BigDataFileName(key), blob);
    auto& rec = root_.images[0];
    rec["big-data-names"].push_back(key);
    rec["big-data-digests"][key] = Sha256Digest(blob);
    rec["metadata"] = metadata.dump();
    root_.Flush();
  }
  ResolvedImage Image() {
    auto img = LoadContainersStorageImage(root_.path(), "sha256:" + image_.id);
    EXPECT_TRUE(img.ok()) << img.error().What();
    return img.ok() ? *img : ResolvedImage{};
  }

  FakeGraphRoot root_;
  testing::FakeCsImage image_;
  std::string digest_, payload_, sig1_, sig2_;
  testing::TestSigner signer_{"P-256"};
};

TEST_F(EngineSignaturesTest, ReadsPerInstanceAndDefaultSignatures) {
  std::string key = "signature-" + digest_.substr(7);
  nlohmann::json meta = {{"signature-sizes", {sig1_.size()}},
                         {"signatures-sizes", {{digest_, {sig1_.size(), sig2_.size()}}}}};
  Put(key, sig1_ + sig2_, meta);
  Put("signatures", sig1_, meta);
  // The per-instance file name is base64 ("signature-<hex>" has a '-'); "signatures" is not.
  EXPECT_TRUE(
      std::filesystem::exists(root_.path() + "/overlay-images/" + image_.id + "/signatures"));
  auto recs = EngineSignaturesFor(Image(), digest_);
  ASSERT_TRUE(recs.ok()) << recs.error().What();
  ASSERT_EQ(recs->size(), 3u);
  auto key_pub = PublicKey::Parse(signer_.PublicPem(), "k");
  ASSERT_TRUE(key_pub.ok());
  for (const auto& r : *recs) {
    EXPECT_EQ(r.format, SignatureFormat::kSimpleSigning);
    EXPECT_EQ(r.digest, digest_);
    EXPECT_EQ(r.payload, payload_);
    EXPECT_EQ(r.imported_by, "containers/storage");
  }
  EXPECT_TRUE(VerifySignatureRecord((*recs)[0], {*key_pub}).ok());
  EXPECT_FALSE(VerifySignatureRecord((*recs)[1], {*key_pub}).ok());  // signed other bytes
  // Another digest: the default instance's signatures are not for it, and it has none.
  auto other = EngineSignaturesFor(Image(), Sha256Digest("other"));
  ASSERT_TRUE(other.ok()) << other.error().What();
  EXPECT_TRUE(other->empty());
}

TEST_F(EngineSignaturesTest, NoneWithoutMetadataAndForOtherEngines) {
  auto recs = EngineSignaturesFor(Image(), digest_);
  ASSERT_TRUE(recs.ok()) << recs.error().What();
  EXPECT_TRUE(recs->empty());
  ResolvedImage docker;
  docker.engine = "docker-overlay2";
  EXPECT_TRUE(EngineSignaturesFor(docker, digest_)->empty());
}

TEST_F(EngineSignaturesTest, TamperedOrInconsistentStoresFailClosed) {
  nlohmann::json meta = {{"signature-sizes", {sig1_.size()}}};
  Put("signatures", sig1_, meta);
  // Bytes edited after the fact no longer hash to images.json's big-data digest.
  std::string edited = sig1_;
  edited[edited.size() - 3] ^= 1;
  root_.Write("overlay-images/" + image_.id + "/signatures", edited);
  EXPECT_EQ(EngineSignaturesFor(Image(), digest_).error().kind(), ErrorKind::kIntegrity);
  // Sizes that do not add up to the item (as GetSignaturesWithFormat refuses).
  Put("signatures", sig1_ + "x", meta);
  EXPECT_EQ(EngineSignaturesFor(Image(), digest_).error().kind(), ErrorKind::kInconsistent);
  Put("signatures", sig1_, {{"signature-sizes", {sig1_.size() + 1}}});
  EXPECT_EQ(EngineSignaturesFor(Image(), digest_).error().kind(), ErrorKind::kInconsistent);
  // A symlink in place of the item is not followed.
  std::string item = root_.path() + "/overlay-images/" + image_.id + "/signatures";
  Put("signatures", sig1_, meta);
  std::filesystem::remove(item);
  std::filesystem::create_symlink("/etc/hostname", item);
  EXPECT_FALSE(EngineSignaturesFor(Image(), digest_).ok());
}

TEST(EngineSignatureItems, ParsesMetadataStrictly) {
  std::string d = Sha256Digest("m");
  auto items = EngineSignatureItems(
      R"({"signature-sizes":[1,2],"signatures-sizes":{")" + d + R"(":[3]}})", d, d);
  ASSERT_TRUE(items.ok()) << items.error().What();
  ASSERT_EQ(items->size(), 2u);
  EXPECT_EQ((*items)[0].key, "signature-" + d.substr(7));
  EXPECT_EQ((*items)[0].sizes, std::vector<size_t>{3});
  EXPECT_EQ((*items)[1].key, "signatures");
  EXPECT_EQ((*items)[1].sizes, (std::vector<size_t>{1, 2}));
  // Go folds member names: the same object spelled in capitals is read the same way.
  EXPECT_EQ(EngineSignatureItems(R"({"Signature-Sizes":[5]})", d, d)->size(), 1u);
  EXPECT_TRUE(EngineSignatureItems("", d, d)->empty());
  EXPECT_TRUE(EngineSignatureItems(R"({"signature-sizes":[5]})", d, Sha256Digest("x"))->empty());
  for (const char* bad : {R"([])", R"({"signature-sizes":[-1]})", R"({"signature-sizes":"5"})",
                          R"({"signature-sizes":[1.5]})", R"({"signatures-sizes":[]})",
                          R"({"signature-sizes":[1],"signature-sizes":[2]})",
                          R"({"signature-sizes":[1],"SIGNATURE-SIZES":[2]})", "{"}) {
    EXPECT_EQ(EngineSignatureItems(bad, d, d).error().kind(), ErrorKind::kParse) << bad;
  }
  std::string many = R"({"signature-sizes":[)";
  for (int i = 0; i < 65; ++i) many += i ? ",1" : "1";
  EXPECT_EQ(EngineSignatureItems(many + "]}", d, d).error().kind(), ErrorKind::kTooLarge);
  EXPECT_EQ(EngineSignatureItems(R"({"signature-sizes":[999999999]})", d, d).error().kind(),
            ErrorKind::kParse);
}

TEST(SplitEngineSignatures, SkipsOtherFormatsAndRefusesGarbage) {
  std::string d = Sha256Digest("m");
  std::string gpg = "\x89\x02gpg-signature-bytes";
  std::string sig = SigstoreJson("payload", Base64Encode("sig"));
  auto recs = SplitEngineSignatures(gpg + sig, {"signatures", {gpg.size(), sig.size()}}, d, "f");
  ASSERT_TRUE(recs.ok()) << recs.error().What();
  ASSERT_EQ(recs->size(), 1u);
  EXPECT_EQ((*recs)[0].source, "f#1");
  std::string broken = std::string(kSigstoreJsonPrefix) + "{not json";
  EXPECT_EQ(SplitEngineSignatures(broken, {"signatures", {broken.size()}}, d, "f").error().kind(),
            ErrorKind::kParse);
}

}  // namespace
}  // namespace verified::signature
