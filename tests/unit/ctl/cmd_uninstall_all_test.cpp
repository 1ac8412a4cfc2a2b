#include "ctl/cmd_uninstall_all.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "ctl/app.h"
#include "unit/support/run_ctl.h"
#include "unit/support/temp_dir.h"

namespace verified::ctl {
namespace {

using testing::TempDir;

int RunAllCtl(const std::string& config_dir, std::vector<std::string> args) {
  return testing::RunCtl(config_dir, std::move(args), AddAllCommands);
}

bool Exists(const std::string& path) { return access(path.c_str(), F_OK) == 0; }

TEST(UninstallAll, UndoesHooksAndDropInsBeforeDocker) {
  auto state =
      nlohmann::ordered_json::parse(R"({"docker":{},"podman-hook":{},"containerd":{},"crio":{}})");
  auto commands = UninstallCommandsFor(state);
  ASSERT_TRUE(commands.ok()) << commands.error().What();
  std::vector<std::vector<std::string>> want = {
      {"podman", "--hook"}, {"crio"}, {"containerd"}, {"docker", "--remove-created"}};
  EXPECT_EQ(*commands, want);
  EXPECT_TRUE(UninstallCommandsFor(nlohmann::ordered_json::object())->empty());
}

TEST(UninstallAll, RefusesAStateItCannotUndoCompletely) {
  auto commands = UninstallCommandsFor(nlohmann::ordered_json::parse(R"({"docker":{},"k3s":{}})"));
  ASSERT_FALSE(commands.ok());
  EXPECT_NE(commands.error().What().find("\"k3s\""), std::string::npos);
}

TEST(UninstallAll, NothingRecordedIsNotAnError) {
  TempDir dir;
  EXPECT_EQ(RunAllCtl(dir / "etc", {"uninstall", "all"}), kExitOk);
}

// Debian's docker.io ships no daemon.json: install creates one, uninstall removes it again
// instead of leaving "{}" behind (the package's purge must leave /etc/docker as it was).
TEST(UninstallDocker, RemovesTheDaemonJsonInstallCreated) {
  TempDir dir;
  std::string json = dir / "daemon.json";
  for (bool as_default : {false, true}) {
    std::vector<std::string> args = {"install", "docker",         "--daemon-json",
                                     json,      "--runtime-path", "/bin/true"};
    if (as_default) args.push_back("--default-runtime");
    ASSERT_EQ(RunAllCtl(dir / "etc", args), kExitOk);
    ASSERT_TRUE(Exists(json));
    // A plain uninstall keeps the file: a live dockerd's reload needs it.
    ASSERT_EQ(RunAllCtl(dir / "etc", {"uninstall", "docker"}), kExitOk);
    EXPECT_TRUE(Exists(json));
    ASSERT_EQ(unlink(json.c_str()), 0);
    ASSERT_EQ(RunAllCtl(dir / "etc", args), kExitOk);
    ASSERT_EQ(RunAllCtl(dir / "etc", {"uninstall", "all"}), kExitOk);
    EXPECT_FALSE(Exists(json)) << testing::ReadFile(json);
  }
}

TEST(UninstallDocker, KeepsADaemonJsonThatExistedBefore) {
  TempDir dir;
  std::string json = dir / "daemon.json";
  testing::WriteFile(json, "{\"debug\": true}\n");
  ASSERT_EQ(RunAllCtl(dir / "etc",
                      {"install", "docker", "--daemon-json", json, "--runtime-path", "/bin/true"}),
            kExitOk);
  ASSERT_EQ(RunAllCtl(dir / "etc", {"uninstall", "all"}), kExitOk);
  ASSERT_TRUE(Exists(json));
  EXPECT_EQ(nlohmann::json::parse(testing::ReadFile(json)),
            nlohmann::json::parse(R"({"debug":true})"));
}

}  // namespace
}  // namespace verified::ctl
