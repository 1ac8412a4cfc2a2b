#include "verifier/signature/key_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vector>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"

namespace verified::signature {
namespace {

using testing::TempDir;
using testing::TestSigner;

PublicKey NewKey(const char* kind, const std::string& name) {
  TestSigner signer(kind);
  return PublicKey::Parse(signer.PublicPem(), name).value();
}

TEST(KeyName, Grammar) {
  for (const std::string& ok :
       std::vector<std::string>{"a", "ci-signer", "team.a_1", "0", std::string(64, 'k')}) {
    EXPECT_TRUE(CheckKeyName(ok).ok()) << ok;
  }
  for (const std::string& bad : std::vector<std::string>{"", "-a", ".a", "_a", "A", "a/b", "..",
                                                         "a b", std::string(65, 'k')}) {
    auto st = CheckKeyName(bad);
    ASSERT_FALSE(st.ok()) << bad;
    EXPECT_EQ(st.error().kind(), ErrorKind::kInvalidArgument);
  }
}

TEST(KeyDir, AddLoadListRemove) {
  TempDir dir;
  auto empty = ListKeys(dir.path());
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->empty());
  PublicKey b = NewKey("ED25519", "b-key");
  PublicKey a = NewKey("P-384", "a-key");
  ASSERT_TRUE(AddKey(dir.path(), b).ok());
  ASSERT_TRUE(AddKey(dir.path(), a).ok());
  auto again = AddKey(dir.path(), a);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.error().What().find("already exists"), std::string::npos);
  struct stat st;
  ASSERT_EQ(stat((dir / "keys/a-key.pub").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0644u);
  auto loaded = LoadKey(dir.path(), "a-key");
  ASSERT_TRUE(loaded.ok()) << loaded.error().What();
  EXPECT_EQ(loaded->fingerprint(), a.fingerprint());
  testing::WriteFile(dir / "keys/a-key.pub.tmp.abcdef", "partial");  // an interrupted writer
  testing::WriteFile(dir / "keys/README", "not a key");
  auto list = ListKeys(dir.path());
  ASSERT_TRUE(list.ok()) << list.error().What();
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].name(), "a-key");
  EXPECT_EQ((*list)[1].name(), "b-key");
  EXPECT_EQ((*list)[1].type(), KeyType::kEd25519);
  EXPECT_TRUE(RemoveKey(dir.path(), "a-key").value());
  EXPECT_FALSE(RemoveKey(dir.path(), "a-key").value());
  EXPECT_EQ(LoadKey(dir.path(), "a-key").error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(ListKeys(dir.path())->size(), 1u);
}

TEST(KeyDir, UntrustedFilesAreRefusedNotSkipped) {
  TempDir dir;
  ASSERT_TRUE(AddKey(dir.path(), NewKey("P-256", "k")).ok());
  ASSERT_EQ(chmod((dir / "keys/k.pub").c_str(), 0664), 0);
  auto key = LoadKey(dir.path(), "k");
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().kind(), ErrorKind::kPermission);
  EXPECT_FALSE(ListKeys(dir.path()).ok());
  ASSERT_EQ(chmod((dir / "keys/k.pub").c_str(), 0644), 0);
  ASSERT_EQ(chmod((dir / "keys").c_str(), 0777), 0);
  EXPECT_EQ(LoadKey(dir.path(), "k").error().kind(), ErrorKind::kPermission);
  EXPECT_EQ(ListKeys(dir.path()).error().kind(), ErrorKind::kPermission);
  ASSERT_EQ(chmod((dir / "keys").c_str(), 0755), 0);
  // A symlinked key (to a file anybody could have put there) is refused too.
  testing::WriteFile(dir / "elsewhere.pub", NewKey("P-256", "x").Pem());
  ASSERT_EQ(symlink((dir / "elsewhere.pub").c_str(), (dir / "keys/link.pub").c_str()), 0);
  EXPECT_EQ(LoadKey(dir.path(), "link").error().kind(), ErrorKind::kPermission);
  EXPECT_FALSE(ListKeys(dir.path()).ok());
}

TEST(KeyDir, AMalformedKeyFileFailsTheListing) {
  TempDir dir;
  ASSERT_TRUE(AddKey(dir.path(), NewKey("P-256", "good")).ok());
  testing::WriteFile(dir / "keys/bad.pub",
                     "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  auto list = ListKeys(dir.path());
  ASSERT_FALSE(list.ok());
  EXPECT_NE(list.error().What().find("key bad"), std::string::npos) << list.error().What();
}

}  // namespace
}  // namespace verified::signature
