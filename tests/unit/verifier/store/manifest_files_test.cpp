#include "verifier/store/manifest_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "tests/unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"

namespace verified {
namespace {

using testing::TempDir;
using testing::WriteFile;

TEST(ManifestFiles, ReadsBytesThatHashToTheRecordedDigest) {
  TempDir dir;
  std::string bytes = R"({"schemaVersion":2})";
  WriteFile(dir / "m", bytes);
  auto read = ReadManifestFile({Sha256Digest(bytes), dir / "m"});
  ASSERT_TRUE(read.ok()) << read.error().What();
  EXPECT_EQ(*read, bytes);
}

TEST(ManifestFiles, RefusesBytesThatDoNotHashToTheDigest) {
  TempDir dir;
  WriteFile(dir / "m", R"({"schemaVersion":2,"x":1})");
  auto read = ReadManifestFile({Sha256Digest(R"({"schemaVersion":2})"), dir / "m"});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(read.error().What().find("hashes to"), std::string::npos);
}

TEST(ManifestFiles, RefusesASymlinkAMalformedDigestAndAMissingFile) {
  TempDir dir;
  std::string bytes = "{}";
  WriteFile(dir / "m", bytes);
  ASSERT_EQ(symlink((dir / "m").c_str(), (dir / "link").c_str()), 0);
  EXPECT_FALSE(ReadManifestFile({Sha256Digest(bytes), dir / "link"}).ok());
  auto bad = ReadManifestFile({"sha256:ABC", dir / "m"});
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().kind(), ErrorKind::kParse);
  EXPECT_FALSE(ReadManifestFile({Sha256Digest(bytes), dir / "missing"}).ok());
}

TEST(ManifestFiles, RefusesAFileOverTheLimit) {
  TempDir dir;
  std::string bytes(kMaxManifestFileBytes + 1, ' ');
  WriteFile(dir / "big", bytes);
  auto read = ReadManifestFile({Sha256Digest(bytes), dir / "big"});
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error().kind(), ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified
