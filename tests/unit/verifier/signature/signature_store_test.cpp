#include "verifier/signature/signature_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/core/base64.h"
#include "verifier/signature/sigstore_json_signature.h"

namespace verified::signature {
namespace {

using testing::SignatureFixture;
using testing::TempDir;

const std::string kHex = "634a8f35b5f16dcf4aaa0822adc0b1964bb786fca12f6831de8ddc45e5986a00";
const std::string kStoredDigest = "sha256:" + kHex;

SignatureRecord Record(const std::string& file) {
  auto sig =
      ParseSigstoreJsonSignature(SignatureFixture("cosign/dir-img-cosign-valid-2/" + file)).value();
  SignatureRecord r;
  r.payload = sig.payload;
  r.signature_base64 = sig.signature_base64;
  r.digest = kStoredDigest;
  r.source = file;
  return r;
}

std::string Manifest() { return SignatureFixture("cosign/dir-img-cosign-valid-2/manifest.json"); }

std::string RecordPath(const std::string& etc, const SignatureRecord& r) {
  return etc + "/signatures/sha256-" + kHex + "/" + SignatureRecordId(r) + ".json";
}

void ExpectRefused(const std::string& etc, std::string_view why) {
  auto s = SignaturesFor(etc, kStoredDigest);
  ASSERT_FALSE(s.ok()) << why;
  EXPECT_NE(s.error().What().find(why), std::string::npos) << s.error().What();
}

TEST(SignatureStore, StoresReadsDeduplicatesAndRemoves) {
  TempDir dir;
  std::string etc = dir / "etc";
  EXPECT_TRUE(SignaturesFor(etc, kStoredDigest)->records.empty());
  EXPECT_TRUE(ListSignedDigests(etc)->empty());
  EXPECT_TRUE(StoreSignature(etc, Record("signature-1"), Manifest()).value());
  EXPECT_FALSE(StoreSignature(etc, Record("signature-1"), std::nullopt).value());  // same one
  EXPECT_TRUE(StoreSignature(etc, Record("signature-2"), std::nullopt).value());
  auto s = SignaturesFor(etc, kStoredDigest);
  ASSERT_TRUE(s.ok()) << s.error().What();
  ASSERT_EQ(s->records.size(), 2u);
  EXPECT_EQ(s->manifest, Manifest());
  EXPECT_EQ(ListSignedDigests(etc).value(), std::vector<std::string>{kStoredDigest});
  struct stat st;
  ASSERT_EQ(stat(RecordPath(etc, Record("signature-1")).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  EXPECT_FALSE(SignaturesFor(etc, "sha256:../x").ok());
  EXPECT_TRUE(RemoveSignatures(etc, kStoredDigest).value());
  EXPECT_FALSE(RemoveSignatures(etc, kStoredDigest).value());
  EXPECT_TRUE(ListSignedDigests(etc)->empty());
}

TEST(SignatureStore, AManifestThatDoesNotHashIsNeverStored) {
  TempDir dir;
  std::string etc = dir / "etc";
  auto st =
      StoreSignature(etc, Record("signature-1"),
                     SignatureFixture("cosign/dir-img-cosign-modified-manifest/manifest.json"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kIntegrity);
  EXPECT_TRUE(SignaturesFor(etc, kStoredDigest)->records.empty());
}

TEST(SignatureStore, ATamperedRecordIsRefusedNamingIt) {
  TempDir dir;
  std::string etc = dir / "etc";
  SignatureRecord r = Record("signature-1");
  ASSERT_TRUE(StoreSignature(etc, r, Manifest()).ok());
  std::string path = RecordPath(etc, r);
  // Another docker-reference in the payload, the file name kept.
  auto j = nlohmann::json::parse(testing::ReadFile(path));
  std::string payload = r.payload;
  payload.replace(payload.find("192.168.64.2"), 12, "evil.example");
  j["payload"] = Base64Encode(payload);
  testing::WriteFile(path, j.dump());
  ExpectRefused(etc, "edited after import");
  ExpectRefused(etc, SignatureRecordId(r));
  // Not a record at all.
  testing::WriteFile(path, "{\"version\":1}");
  ExpectRefused(etc, path);
}

TEST(SignatureStore, RefusesUntrustedEntriesSymlinksAndStrayFiles) {
  TempDir dir;
  std::string etc = dir / "etc";
  SignatureRecord r = Record("signature-1");
  ASSERT_TRUE(StoreSignature(etc, r, Manifest()).ok());
  std::string path = RecordPath(etc, r);
  std::string ddir = etc + "/signatures/sha256-" + kHex;

  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  ExpectRefused(etc, "writable");
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);

  ASSERT_EQ(chmod(ddir.c_str(), 0777), 0);
  ExpectRefused(etc, "writable");
  ASSERT_EQ(chmod(ddir.c_str(), 0755), 0);

  std::string text = testing::ReadFile(path);
  ASSERT_EQ(rename(path.c_str(), (dir / "real.json").c_str()), 0);
  ASSERT_EQ(symlink((dir / "real.json").c_str(), path.c_str()), 0);
  EXPECT_FALSE(SignaturesFor(etc, kStoredDigest).ok());
  ASSERT_EQ(unlink(path.c_str()), 0);
  testing::WriteFile(path, text);
  ASSERT_TRUE(SignaturesFor(etc, kStoredDigest).ok());

  testing::WriteFile(ddir + "/notes.txt", "x");
  ExpectRefused(etc, "not a signature record");
  ASSERT_EQ(unlink((ddir + "/notes.txt").c_str()), 0);
  testing::WriteFile(ddir + "/manifest.json.tmp.a1B2c3", "half");  // a writer that died
  ASSERT_TRUE(SignaturesFor(etc, kStoredDigest).ok());

  testing::WriteFile(ddir + "/manifest.json", Manifest() + " ");
  ExpectRefused(etc, "not the signed manifest");
  testing::WriteFile(ddir + "/manifest.json", Manifest());

  // A record copied under another digest's directory.
  std::string other = etc + "/signatures/sha256-" + std::string(64, 'b');
  testing::MakeDir(other);
  testing::WriteFile(other + "/" + SignatureRecordId(r) + ".json", text);
  auto moved = SignaturesFor(etc, "sha256:" + std::string(64, 'b'));
  ASSERT_FALSE(moved.ok());
  EXPECT_NE(moved.error().What().find("stored under"), std::string::npos);

  testing::MakeDir(etc + "/signatures/latest");
  auto list = ListSignedDigests(etc);
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().What().find("not a signed digest"), std::string::npos);
}

TEST(SignatureStore, PerDigestLimit) {
  TempDir dir;
  std::string etc = dir / "etc";
  SignatureRecord r = Record("signature-1");
  for (size_t i = 0; i < kMaxSignaturesPerDigest; ++i) {
    r.source = std::to_string(i);
    r.payload = Record("signature-1").payload + std::string(i, ' ');  // distinct ids
    ASSERT_TRUE(StoreSignature(etc, r, std::nullopt).value());
  }
  r.payload += "  x";
  auto over = StoreSignature(etc, r, std::nullopt);
  ASSERT_FALSE(over.ok());
  EXPECT_EQ(over.error().kind(), ErrorKind::kTooLarge);
  EXPECT_EQ(SignaturesFor(etc, kStoredDigest)->records.size(), kMaxSignaturesPerDigest);
}

}  // namespace
}  // namespace verified::signature
