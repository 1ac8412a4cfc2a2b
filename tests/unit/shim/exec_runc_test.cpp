#include "shim/exec_runc.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <climits>

#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

std::string SelfExe() {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf));
  return std::string(buf, static_cast<size_t>(n));
}

TEST(FindRunc, RefusesToExecItself) {
  auto r = FindRunc(SelfExe(), "");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("is verified-runtime itself"), std::string::npos);
}

TEST(FindRunc, SkipsItselfOnPath) {
  testing::TempDir tmp;
  testing::MakeDir(tmp / "self");
  testing::MakeDir(tmp / "real");
  ASSERT_EQ(link(SelfExe().c_str(), (tmp / "self/runc").c_str()) == 0 ||
                symlink(SelfExe().c_str(), (tmp / "self/runc").c_str()) == 0,
            true);
  testing::WriteFile(tmp / "real/runc", "#!/bin/sh\n", 0755);
  auto r = FindRunc("", tmp / "self" + ":" + tmp / "real");
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ(*r, tmp / "real/runc");
  auto only_self = FindRunc("", tmp / "self");
  ASSERT_FALSE(only_self.ok());
  EXPECT_NE(only_self.error().What().find("itself"), std::string::npos);
}

TEST(FindRunc, ConfiguredPathMustExist) { EXPECT_FALSE(FindRunc("/nonexistent/runc", "").ok()); }

}  // namespace
}  // namespace verified::shim
