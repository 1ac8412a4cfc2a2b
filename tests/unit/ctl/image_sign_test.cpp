// verifiedctl sign on a containers/storage image (FakeGraphRoot): the signature lands in the
// store with storage's manifest, the --output files verify with the public key, and keys it
// cannot use are refused before anything is written.
#include "ctl/image_sign.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "unit/support/temp_dir.h"
#include "unit/verifier/store/cstorage/fake_graphroot.h"
#include "verifier/core/base64.h"
#include "verifier/crypto/sha256.h"
#include "verifier/fs/dir.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signature/signature_store.h"
#include "verifier/store/cstorage/cstorage_store.h"

namespace verified::ctl {
namespace {

class ImageSignTest : public ::testing::Test {
 protected:
  void SetUp() override {
    image_ = root_.AddImage("app", 2, {"localhost/app:1"});
    root_.Flush();
    auto img = LoadContainersStorageImage(root_.path(), "sha256:" + image_.id);
    ASSERT_TRUE(img.ok()) << img.error().What();
    img_ = *img;
    auto pair = signature::GenerateEcdsaP256("ci");
    ASSERT_TRUE(pair.ok());
    pub_ = pair->public_key;
    verified::testing::WriteFile(tmp_ / "ci.key", pair->private_pem, 0600);
    ASSERT_TRUE(signature::AddKey(etc(), *pub_).ok());
  }
  std::string etc() const { return tmp_ / "etc"; }

  verified::testing::FakeGraphRoot root_;
  verified::testing::FakeCsImage image_;
  ResolvedImage img_;
  verified::testing::TempDir tmp_;
  std::optional<signature::PublicKey> pub_;
};

TEST_F(ImageSignTest, StoresTheSignatureWithStoragesManifest) {
  SignRequest req{tmp_ / "ci.key", "", tmp_ / "out", "root", "2026-12-07T00:00:00Z"};
  auto o = SignImage(etc(), img_, req);
  ASSERT_TRUE(o.ok()) << o.error().What();
  EXPECT_EQ(o->manifest.digest, image_.manifest_digest);
  EXPECT_EQ(o->repository, "localhost/app");
  EXPECT_EQ(o->trusted_key, "ci");
  EXPECT_TRUE(o->added);
  auto stored = signature::SignaturesFor(etc(), image_.manifest_digest);
  ASSERT_TRUE(stored.ok()) << stored.error().What();
  ASSERT_EQ(stored->records.size(), 1u);
  ASSERT_TRUE(stored->manifest.has_value());
  EXPECT_EQ(Sha256Digest(*stored->manifest), image_.manifest_digest);
  auto v = signature::VerifySignatureRecord(stored->records[0], {*pub_});
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->repository, "localhost/app");
  // The --output files: payload bytes, base64 DER signature (no newline), the manifest.
  std::string payload = *ReadFileLimited(tmp_ / "out/payload.json", 1 << 16);
  std::string sig_b64 = *ReadFileLimited(tmp_ / "out/payload.sig", 1 << 16);
  EXPECT_EQ(sig_b64.find('\n'), std::string::npos);
  auto der = Base64DecodeStrict(sig_b64, "payload.sig", 4096);
  ASSERT_TRUE(der.ok());
  EXPECT_TRUE(signature::Verify(*pub_, payload, *der).ok());
  EXPECT_EQ(Sha256Digest(*ReadFileLimited(tmp_ / "out/manifest.json", 1 << 20)),
            image_.manifest_digest);
}

TEST_F(ImageSignTest, AKeyTheHostDoesNotTrustStillSignsButIsSaidSo) {
  ASSERT_TRUE(*signature::RemoveKey(etc(), "ci"));
  auto o = SignImage(etc(), img_, SignRequest{tmp_ / "ci.key", "", "", "", ""});
  ASSERT_TRUE(o.ok()) << o.error().What();
  EXPECT_EQ(o->trusted_key, "");
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "out"));
}

TEST_F(ImageSignTest, UnusableKeysAndIdentitiesStoreNothing) {
  verified::testing::WriteFile(tmp_ / "cosign.key",
                               "-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\nAAAA\n"
                               "-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
  auto enc = SignImage(etc(), img_, SignRequest{tmp_ / "cosign.key", "", tmp_ / "out", "", ""});
  ASSERT_FALSE(enc.ok());
  EXPECT_EQ(enc.error().kind(), ErrorKind::kUnsupported);
  auto missing = SignImage(etc(), img_, SignRequest{tmp_ / "absent.key", "", "", "", ""});
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
  auto other =
      SignImage(etc(), img_, SignRequest{tmp_ / "ci.key", "docker.io/evil/app", "", "", ""});
  EXPECT_EQ(other.error().kind(), ErrorKind::kInvalidArgument);
  EXPECT_TRUE(signature::SignaturesFor(etc(), image_.manifest_digest)->records.empty());
  EXPECT_FALSE(std::filesystem::exists(tmp_ / "out"));
}

}  // namespace
}  // namespace verified::ctl
