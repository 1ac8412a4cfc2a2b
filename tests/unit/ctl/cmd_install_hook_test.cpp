// verifiedctl install|uninstall podman|crio --hook: the hooks.d file and its install record.
#include "ctl/cmd_install_hook.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "unit/support/temp_dir.h"

namespace verified::ctl {
namespace {

using testing::ReadFile;
using testing::WriteFile;

class InstallHookTest : public ::testing::Test {
 protected:
  InstallHookTest() {
    testing::MakeDir(tmp_ / "cfg");
    ctx_.config_dir = tmp_ / "cfg";
    WriteFile(tmp_ / "bin/verified-hook", "#!/bin/sh\nexit 1\n", 0755);
    args_.hooks_dir = tmp_ / "hooks.d";
    args_.hook_path = tmp_ / "bin/verified-hook";
  }

  std::string HookFile() const { return tmp_ / "hooks.d/verified.json"; }
  bool Exists(const std::string& p) const { return access(p.c_str(), F_OK) == 0; }
  nlohmann::json State() const {
    return nlohmann::json::parse(ReadFile(tmp_ / "cfg/install-state.json"));
  }

  testing::TempDir tmp_;
  CtlContext ctx_;
  HookInstallArgs args_;
};

TEST_F(InstallHookTest, WritesTheFileRecordsItAndUninstallRemovesIt) {
  ASSERT_TRUE(InstallHook(ctx_, "podman", args_).ok());
  auto j = nlohmann::json::parse(ReadFile(HookFile()));
  EXPECT_EQ(j["hook"]["path"], args_.hook_path);
  EXPECT_EQ(j["hook"]["args"][2], ctx_.config_dir);
  EXPECT_EQ(j["stages"][0], "createRuntime");
  EXPECT_EQ(State()["podman-hook"]["drop_in"], HookFile());
  EXPECT_TRUE(Exists(tmp_ / "cfg/policy.json")) << "install creates a default-deny policy";
  ASSERT_TRUE(UninstallHook(ctx_, "podman", "").ok());
  EXPECT_FALSE(Exists(HookFile()));
  EXPECT_FALSE(State().contains("podman-hook"));
}

TEST_F(InstallHookTest, SharedFileStaysUntilBothEnginesUninstall) {
  ASSERT_TRUE(InstallHook(ctx_, "podman", args_).ok());
  ASSERT_TRUE(InstallHook(ctx_, "crio", args_).ok());
  ASSERT_TRUE(UninstallHook(ctx_, "podman", args_.hooks_dir).ok());
  EXPECT_TRUE(Exists(HookFile()));
  ASSERT_TRUE(UninstallHook(ctx_, "crio", "").ok());
  EXPECT_FALSE(Exists(HookFile()));
}

TEST_F(InstallHookTest, AForeignFileIsPutBackByTheLastUninstall) {
  WriteFile(HookFile(), "{\"someone\":\"else\"}\n");
  ASSERT_TRUE(InstallHook(ctx_, "podman", args_).ok());
  ASSERT_TRUE(InstallHook(ctx_, "crio", args_).ok());
  ASSERT_TRUE(UninstallHook(ctx_, "crio", "").ok());
  EXPECT_NE(ReadFile(HookFile()).find("verified-hook"), std::string::npos);
  ASSERT_TRUE(UninstallHook(ctx_, "podman", "").ok());
  EXPECT_EQ(ReadFile(HookFile()), "{\"someone\":\"else\"}\n");
}

TEST_F(InstallHookTest, RefusesAMissingBinaryAndAnotherDirOnUninstall) {
  HookInstallArgs bad = args_;
  bad.hook_path = tmp_ / "bin/absent";
  auto st = InstallHook(ctx_, "podman", bad);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kNotFound);
  EXPECT_FALSE(Exists(HookFile()));
  EXPECT_FALSE(UninstallHook(ctx_, "podman", "").ok()) << "nothing recorded";
  ASSERT_TRUE(InstallHook(ctx_, "podman", args_).ok());
  EXPECT_FALSE(UninstallHook(ctx_, "podman", tmp_ / "elsewhere").ok());
  EXPECT_TRUE(Exists(HookFile()));
}

TEST_F(InstallHookTest, TimeoutAndStageReachTheFile) {
  args_.timeout_seconds = 7;
  args_.stage = "prestart";
  args_.seal_dir = "/run/v/seals";
  ASSERT_TRUE(InstallHook(ctx_, "crio", args_).ok());
  auto j = nlohmann::json::parse(ReadFile(HookFile()));
  EXPECT_EQ(j["hook"]["timeout"], 7);
  EXPECT_EQ(j["stages"][0], "prestart");
  EXPECT_EQ(j["hook"]["args"][4], "/run/v/seals");
  args_.stage = "poststart";
  EXPECT_FALSE(InstallHook(ctx_, "crio", args_).ok());
}

}  // namespace
}  // namespace verified::ctl
