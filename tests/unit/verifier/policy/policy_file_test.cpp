// Loading <config-dir>/policy.json only through the config dir's trust check.
#include "verifier/policy/policy_file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

TEST(PolicyFile, LoadsATrustedPolicy) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "policy.json", R"({"default":"allow"})");
  auto p = LoadPolicy(tmp.path());
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->default_action, Action::kAllow);
}

TEST(PolicyFile, MissingPolicySaysHowToCreateOne) {
  testing::TempDir tmp;
  auto p = LoadPolicy(tmp.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(p.error().What().find("verifiedctl --config-dir"), std::string::npos);
}

TEST(PolicyFile, WritableByOthersIsRefused) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "policy.json", "{}", 0666);
  auto p = LoadPolicy(tmp.path());
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.error().kind(), ErrorKind::kPermission);
  EXPECT_NE(p.error().What().find("chmod go-w"), std::string::npos);
  chmod((tmp / "policy.json").c_str(), 0644);
  chmod(tmp.path().c_str(), 0777);
  EXPECT_EQ(LoadPolicy(tmp.path()).error().kind(), ErrorKind::kPermission);
  chmod(tmp.path().c_str(), 0755);
  EXPECT_TRUE(LoadPolicy(tmp.path()).ok());
}

TEST(PolicyFile, SymlinkedPolicyIsRefused) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "real.json", "{}");
  symlink((tmp / "real.json").c_str(), (tmp / "policy.json").c_str());
  EXPECT_FALSE(LoadPolicy(tmp.path()).ok());
}

}  // namespace
}  // namespace verified
