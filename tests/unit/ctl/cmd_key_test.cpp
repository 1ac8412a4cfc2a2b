#include "ctl/cmd_key.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <vector>

#include "unit/support/run_ctl.h"
#include "unit/support/temp_dir.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/public_key.h"

namespace verified::ctl {
namespace {

using testing::TempDir;

// Runs `verifiedctl --config-dir DIR ARGS...` in-process; returns the exit status.
int RunKeyCtl(const std::string& config_dir, std::vector<std::string> args) {
  return testing::RunCtl(config_dir, std::move(args),
                         [](CLI::App& app, CtlContext& ctx) { AddKeyCommands(app, ctx); });
}

TEST(CmdKey, GenerateWritesA0600PrivateKeyAndTheTrustedPublicKey) {
  TempDir dir;
  std::string priv = dir / "ci.key";
  ASSERT_EQ(RunKeyCtl(dir / "etc", {"key", "generate", "ci", "--private-out", priv}), kExitOk);
  struct stat st;
  ASSERT_EQ(stat(priv.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(testing::ReadFile(priv).rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  auto key = signature::LoadKey(dir / "etc", "ci");
  ASSERT_TRUE(key.ok()) << key.error().What();
  EXPECT_EQ(key->type(), signature::KeyType::kEcdsaP256);
  // Never overwritten: neither the private key file nor the trusted public key.
  std::string before = testing::ReadFile(priv);
  EXPECT_EQ(RunKeyCtl(dir / "etc", {"key", "generate", "ci2", "--private-out", priv}), kExitError);
  EXPECT_EQ(testing::ReadFile(priv), before);
  EXPECT_FALSE(signature::LoadKey(dir / "etc", "ci2").ok());  // nothing half-done
  EXPECT_EQ(RunKeyCtl(dir / "etc", {"key", "generate", "ci", "--private-out", dir / "other.key"}),
            kExitError);
  EXPECT_EQ(testing::ReadFile(dir / "other.key"), "");
  EXPECT_EQ(signature::LoadKey(dir / "etc", "ci")->fingerprint(), key->fingerprint());
}

TEST(CmdKey, AddListRemove) {
  TempDir dir;
  std::string etc = dir / "etc";
  std::string pub =
      std::string(VERIFIED_SOURCE_DIR) + "/tests/fixtures/signatures/cosign/cosign.pub";
  EXPECT_EQ(RunKeyCtl(etc, {"key", "add", "cosign", pub}), kExitOk);
  EXPECT_EQ(RunKeyCtl(etc, {"key", "add", "cosign", pub}), kExitError);  // exists
  EXPECT_EQ(RunKeyCtl(etc, {"key", "add", "Bad/Name", pub}), kExitError);
  testing::WriteFile(dir / "two.pub", testing::ReadFile(pub) + testing::ReadFile(pub));
  EXPECT_EQ(RunKeyCtl(etc, {"key", "add", "two", dir / "two.pub"}), kExitError);
  EXPECT_EQ(RunKeyCtl(etc, {"key", "list"}), kExitOk);
  auto keys = signature::ListKeys(etc);
  ASSERT_TRUE(keys.ok());
  ASSERT_EQ(keys->size(), 1u);
  EXPECT_EQ((*keys)[0].name(), "cosign");
  EXPECT_EQ(RunKeyCtl(etc, {"key", "remove", "cosign"}), kExitOk);
  EXPECT_EQ(RunKeyCtl(etc, {"key", "remove", "cosign"}), kExitError);
  EXPECT_TRUE(signature::ListKeys(etc)->empty());
}

TEST(WritePrivateKeyFile, RefusesExistingPathsAndSymlinks) {
  TempDir dir;
  ASSERT_TRUE(WritePrivateKeyFile(dir / "k", "secret").ok());
  auto again = WritePrivateKeyFile(dir / "k", "other");
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(testing::ReadFile(dir / "k"), "secret");
  ASSERT_EQ(symlink((dir / "target").c_str(), (dir / "link").c_str()), 0);
  EXPECT_FALSE(WritePrivateKeyFile(dir / "link", "secret").ok());
  EXPECT_EQ(testing::ReadFile(dir / "target"), "");
}

}  // namespace
}  // namespace verified::ctl
