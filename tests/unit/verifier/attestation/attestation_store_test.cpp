#include "verifier/attestation/attestation_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"
#include "unit/verifier/attestation/attestation_test_util.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/config_index.h"

namespace verified::attestation {
namespace {

using testing::TempDir;

const std::string kManifest =
    R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)"
    R"("config":{"mediaType":"application/vnd.oci.image.config.v1+json","size":2,)"
    R"("digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},)"
    R"("layers":[]})";
const std::string kAttestedDigest = Sha256Digest(kManifest);
const std::string kBundle = R"({"not":"verified here"})";

std::string DirOf(const std::string& etc) {
  return etc + "/attestations/sha256-" + kAttestedDigest.substr(7);
}

void ExpectRefused(const std::string& etc, std::string_view why) {
  auto s = AttestationsFor(etc, kAttestedDigest);
  ASSERT_FALSE(s.ok()) << why;
  EXPECT_NE(s.error().What().find(why), std::string::npos) << s.error().What();
}

TEST(AttestationStore, StoresOnceWithItsManifestIndexedByConfig) {
  TempDir dir;
  std::string etc = dir / "etc";
  EXPECT_TRUE(AttestationsFor(etc, kAttestedDigest)->bundles.empty());
  EXPECT_TRUE(StoreAttestation(etc, kAttestedDigest, kBundle, kManifest).value());
  EXPECT_FALSE(
      StoreAttestation(etc, kAttestedDigest, kBundle, std::nullopt).value());  // same bundle
  auto s = AttestationsFor(etc, kAttestedDigest);
  ASSERT_TRUE(s.ok()) << s.error().What();
  ASSERT_EQ(s->bundles.size(), 1u);
  EXPECT_EQ(s->bundles[0].bundle, kBundle);
  EXPECT_EQ(s->bundles[0].id, Sha256Hex(kBundle));
  EXPECT_EQ(s->manifest, kManifest);
  EXPECT_EQ(ListAttestedDigests(etc).value(), std::vector<std::string>{kAttestedDigest});
  EXPECT_EQ(signature::SignedManifestsForConfig(
                etc, "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
                .value(),
            std::vector<std::string>{kAttestedDigest});
  struct stat st;
  ASSERT_EQ(stat(s->bundles[0].path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
}

TEST(AttestationStore, AManifestOfAnotherDigestIsNotStored) {
  TempDir dir;
  auto r = StoreAttestation(dir / "etc", kAttestedDigest, kBundle, std::string("{}"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity) << r.error().What();
}

TEST(AttestationStore, ReadingFailsClosed) {
  TempDir dir;
  std::string etc = dir / "etc";
  ASSERT_TRUE(StoreAttestation(etc, kAttestedDigest, kBundle, std::nullopt).ok());
  std::string file = DirOf(etc) + "/" + Sha256Hex(kBundle) + ".json";
  // Edited after import: no longer its name.
  testing::WriteFile(file, kBundle + " ");
  ExpectRefused(etc, "not its name");
  testing::WriteFile(file, kBundle);
  // A stray entry (a bundle dropped under another name, a path-like name) is refused.
  testing::WriteFile(DirOf(etc) + "/extra.json", kBundle);
  ExpectRefused(etc, "not an attestation");
  unlink((DirOf(etc) + "/extra.json").c_str());
  // A writer's leftover temp file is skipped.
  testing::WriteFile(DirOf(etc) + "/x.json.tmp.abcdef", "partial");
  EXPECT_TRUE(AttestationsFor(etc, kAttestedDigest).ok());
  // A symlink in place of the bundle is refused, never followed.
  std::string elsewhere = dir / "elsewhere.json";
  testing::WriteFile(elsewhere, kBundle);
  unlink(file.c_str());
  ASSERT_EQ(symlink(elsewhere.c_str(), file.c_str()), 0);
  EXPECT_FALSE(AttestationsFor(etc, kAttestedDigest).ok());
  unlink(file.c_str());
  testing::WriteFile(file, kBundle);
  // A group-writable file is untrusted.
  ASSERT_EQ(chmod(file.c_str(), 0664), 0);
  EXPECT_FALSE(AttestationsFor(etc, kAttestedDigest).ok());
  ASSERT_EQ(chmod(file.c_str(), 0644), 0);
  // A digest directory that is a symlink is refused.
  std::string moved = dir / "moved";
  ASSERT_EQ(rename(DirOf(etc).c_str(), moved.c_str()), 0);
  ASSERT_EQ(symlink(moved.c_str(), DirOf(etc).c_str()), 0);
  EXPECT_FALSE(AttestationsFor(etc, kAttestedDigest).ok());
  // So is a malformed digest, and a store entry that is not sha256-<hex>.
  EXPECT_FALSE(AttestationsFor(etc, "sha256:../../etc").ok());
  testing::MakeDir(etc + "/attestations/..x");
  EXPECT_FALSE(ListAttestedDigests(etc).ok());
}

}  // namespace
}  // namespace verified::attestation
