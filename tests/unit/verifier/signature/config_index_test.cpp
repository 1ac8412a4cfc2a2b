#include "verifier/signature/config_index.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>

#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/signature_store.h"

namespace verified::signature {
namespace {

using testing::MakeTestImage;
using testing::SignedFixture;
using testing::SignedRecord;
using testing::SimpleSigningPayloadFor;

SignatureRecord Record(const SignedFixture& f, const std::string& digest) {
  return SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(digest, "signed/app"), digest);
}

TEST(ConfigIndex, StoreIndexesManifestsByConfigAndRemoveUnindexes) {
  SignedFixture f({"ci"});
  auto img = MakeTestImage("app");
  EXPECT_TRUE(SignedManifestsForConfig(f.config_dir(), img.image_id)->empty());
  f.Store(Record(f, img.manifest_digest), img.manifest);
  EXPECT_EQ(SignedManifestsForConfig(f.config_dir(), img.image_id).value(),
            std::vector<std::string>{img.manifest_digest});
  // The index is not a signed digest.
  EXPECT_EQ(ListSignedDigests(f.config_dir()).value(),
            std::vector<std::string>{img.manifest_digest});
  EXPECT_TRUE(RemoveSignatures(f.config_dir(), img.manifest_digest).value());
  EXPECT_TRUE(SignedManifestsForConfig(f.config_dir(), img.image_id)->empty());
  EXPECT_TRUE(ListSignedDigests(f.config_dir())->empty());
}

TEST(ConfigIndex, ARecordWithoutManifestOrAnIndexDocumentIsNotIndexed) {
  SignedFixture f({"ci"});
  auto img = MakeTestImage("app");
  f.Store(Record(f, img.manifest_digest), std::nullopt);
  EXPECT_TRUE(SignedManifestsForConfig(f.config_dir(), img.image_id)->empty());
  std::string index = testing::MakeIndex({img.manifest_digest});
  std::string index_digest = Sha256Digest(index);
  f.Store(Record(f, index_digest), index);
  EXPECT_EQ(ListSignedDigests(f.config_dir())->size(), 2u);
  EXPECT_TRUE(SignedManifestsForConfig(f.config_dir(), img.image_id)->empty());
  // A later import of the manifest fills the index in.
  f.Store(Record(f, img.manifest_digest), img.manifest);
  EXPECT_EQ(SignedManifestsForConfig(f.config_dir(), img.image_id)->size(), 1u);
}

TEST(ConfigIndex, StrayEntriesAndUntrustedDirectoriesFailClosed) {
  SignedFixture f({"ci"});
  auto img = MakeTestImage("app");
  f.Store(Record(f, img.manifest_digest), img.manifest);
  std::string dir = ConfigIndexDir(f.config_dir()) + "/sha256-" + img.image_id.substr(7);
  testing::WriteFile(dir + "/junk", "");
  auto r = SignedManifestsForConfig(f.config_dir(), img.image_id);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("not an indexed manifest"), std::string::npos);
  unlink((dir + "/junk").c_str());
  ASSERT_EQ(chmod(dir.c_str(), 0777), 0);
  EXPECT_FALSE(SignedManifestsForConfig(f.config_dir(), img.image_id).ok());
  ASSERT_EQ(chmod(dir.c_str(), 0755), 0);
  EXPECT_FALSE(SignedManifestsForConfig(f.config_dir(), "sha256:nothex").ok());
}

TEST(ConfigIndex, LookupStaysFlatWithThousandsOfStoredManifests) {
  SignedFixture f({"ci"});
  auto img = MakeTestImage("app");
  f.Store(Record(f, img.manifest_digest), img.manifest);
  auto time_lookup = [&] {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
      EXPECT_EQ(SignedManifestsForConfig(f.config_dir(), img.image_id)->size(), 1u);
    }
    return std::chrono::steady_clock::now() - start;
  };
  auto before = time_lookup();
  // 2,000 other configs indexed, laid out as 2,000 imports leave them (written directly:
  // IndexStoredManifest's fsyncs would make this test take minutes on disk).
  std::string index = ConfigIndexDir(f.config_dir());
  // (bench/run_runtime_bench.sh measures whole decisions with 10,000 stored signatures.)
  for (int i = 0; i < 2000; ++i) {
    std::string cfg = index + "/sha256-" + Sha256Hex("config " + std::to_string(i));
    ASSERT_EQ(mkdir(cfg.c_str(), 0755), 0);
    testing::WriteFile(cfg + "/sha256-" + Sha256Hex("manifest " + std::to_string(i)), "");
  }
  ASSERT_TRUE(SignedManifestsForConfig(f.config_dir(), "sha256:" + Sha256Hex("config 7")).ok());
  auto after = time_lookup();
  // One directory listing either way: a scan of 2,000 manifests would be orders slower.
  EXPECT_LT(after, before * 5 + std::chrono::milliseconds(20));
}

}  // namespace
}  // namespace verified::signature
