// LoadKey reuses the parse of byte-identical key files within a process (a create loads each
// signed_by key twice): a key replaced, made untrusted, removed or broken is never answered
// from the earlier parse.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signature/signing_test_util.h"
#include "verifier/signature/key_dir.h"

namespace verified::signature {
namespace {

using testing::TempDir;
using testing::TestSigner;

PublicKey NewKey(const char* kind, const std::string& name) {
  TestSigner signer(kind);
  return PublicKey::Parse(signer.PublicPem(), name).value();
}

TEST(KeyDirReuse, SameBytesSameKeyOtherwiseLoadedAgain) {
  TempDir dir;
  PublicKey first = NewKey("P-256", "k");
  ASSERT_TRUE(AddKey(dir.path(), first).ok());
  auto a = LoadKey(dir.path(), "k");
  auto b = LoadKey(dir.path(), "k");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->fingerprint(), first.fingerprint());
  EXPECT_EQ(b->evp(), a->evp()) << "the parse of identical bytes is reused";
  // Replaced by another key (another type too): the new bytes are parsed.
  PublicKey second = NewKey("P-384", "k");
  testing::WriteFile(dir / "keys/k.pub", second.Pem());
  auto c = LoadKey(dir.path(), "k");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->fingerprint(), second.fingerprint());
  EXPECT_EQ(c->type(), KeyType::kEcdsaP384);
  // Broken, untrusted or gone: the error, never the earlier key.
  testing::WriteFile(dir / "keys/k.pub",
                     "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
  EXPECT_FALSE(LoadKey(dir.path(), "k").ok());
  testing::WriteFile(dir / "keys/k.pub", second.Pem());
  ASSERT_TRUE(LoadKey(dir.path(), "k").ok());
  ASSERT_EQ(chmod((dir / "keys/k.pub").c_str(), 0666), 0);
  EXPECT_EQ(LoadKey(dir.path(), "k").error().kind(), ErrorKind::kPermission);
  ASSERT_EQ(unlink((dir / "keys/k.pub").c_str()), 0);
  EXPECT_EQ(LoadKey(dir.path(), "k").error().kind(), ErrorKind::kNotFound);
  // The same bytes under another name carry that name.
  ASSERT_TRUE(AddKey(dir.path(), NewKey("P-256", "j")).ok());
  auto j = LoadKey(dir.path(), "j");
  ASSERT_TRUE(j.ok());
  EXPECT_EQ(j->name(), "j");
}

}  // namespace
}  // namespace verified::signature
