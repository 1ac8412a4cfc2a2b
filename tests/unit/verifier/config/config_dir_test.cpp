#include "verifier/config/config_dir.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

TEST(RuntimeSettings, DefaultsAndValidation) {
  testing::TempDir tmp;
  auto s = LoadRuntimeSettings(tmp.path());
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->runc, "");
  EXPECT_EQ(s->decision_log, kDefaultDecisionLog);
  EXPECT_FALSE(ParseRuntimeSettings(R"({"runc":"relative"})").ok());
  EXPECT_FALSE(ParseRuntimeSettings(R"({"rnuc":"/x"})").ok());
  EXPECT_EQ(ParseRuntimeSettings(R"({"runc":"/usr/sbin/runc.real"})")->runc, "/usr/sbin/runc.real");
}

// Issue 10: runtime.json names the runc every command runs; an untrusted one is an error for
// the caller to refuse on, never "defaults".
TEST(RuntimeSettings, UntrustedFileIsAnErrorNotDefaults) {
  testing::TempDir tmp;
  std::string path = tmp / "runtime.json";
  testing::WriteFile(path, R"({"runc":"/usr/sbin/runc.verified-real"})", 0666);
  auto s = LoadRuntimeSettings(tmp.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kPermission);
  EXPECT_NE(s.error().What().find(path + " is writable by everyone; fix with: chmod go-w " + path),
            std::string::npos)
      << s.error().What();
  chmod(path.c_str(), 0620);
  EXPECT_NE(LoadRuntimeSettings(tmp.path()).error().What().find("writable by its group"),
            std::string::npos);
  chmod(path.c_str(), 0644);
  ASSERT_TRUE(LoadRuntimeSettings(tmp.path()).ok());
  EXPECT_EQ(LoadRuntimeSettings(tmp.path())->runc, "/usr/sbin/runc.verified-real");
  chmod(tmp.path().c_str(), 0777);  // anyone could replace the file: untrusted too
  EXPECT_EQ(LoadRuntimeSettings(tmp.path()).error().kind(), ErrorKind::kPermission);
  chmod(tmp.path().c_str(), 0755);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(path.c_str(), 4321, 4321), 0);
    EXPECT_NE(LoadRuntimeSettings(tmp.path()).error().What().find("chown root " + path),
              std::string::npos);
  }
}

TEST(RuntimeSettings, SymlinkedOrMalformedFileIsAnError) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "real.json", R"({"runc":"/usr/bin/true"})");
  symlink((tmp / "real.json").c_str(), (tmp / "runtime.json").c_str());
  auto s = LoadRuntimeSettings(tmp.path());
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().What().find("is a symlink"), std::string::npos) << s.error().What();
  unlink((tmp / "runtime.json").c_str());
  testing::WriteFile(tmp / "runtime.json", R"({"runc": )");
  EXPECT_FALSE(LoadRuntimeSettings(tmp.path()).ok());
  testing::WriteFile(tmp / "runtime.json", std::string(kMaxRuntimeSettingsBytes + 1, ' '));
  EXPECT_FALSE(LoadRuntimeSettings(tmp.path()).ok());
}

}  // namespace
}  // namespace verified
