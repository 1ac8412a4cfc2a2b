#include "install/docker_daemon_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace verified::install {
namespace {

TEST(DaemonJson, MergesWithoutClobbering) {
  std::string existing = R"({"log-driver":"journald","runtimes":{"nvidia":{"path":"nv"}},
                             "default-runtime":"runc","data-root":"/srv/docker"})";
  DockerRuntimeEntry e;
  e.set_default = true;
  e.config_dir = "/etc/verified";
  auto m = MergeDaemonJson(existing, e);
  ASSERT_TRUE(m.ok());
  auto j = nlohmann::ordered_json::parse(m->text);
  EXPECT_EQ(j["log-driver"], "journald");
  EXPECT_EQ(j["data-root"], "/srv/docker");
  EXPECT_EQ(j["runtimes"]["nvidia"]["path"], "nv");
  EXPECT_EQ(j["runtimes"]["verified"]["path"], "/usr/local/bin/verified-runtime");
  EXPECT_EQ(j["runtimes"]["verified"]["runtimeArgs"][0], "--config-dir=/etc/verified");
  EXPECT_EQ(j["default-runtime"], "verified");
  EXPECT_EQ(m->previous_default, "runc");
  EXPECT_EQ(j.begin().key(), "log-driver");  // key order kept

  auto back = UnmergeDaemonJson(m->text, "verified", m->previous_default);
  ASSERT_TRUE(back.ok());
  auto b = nlohmann::json::parse(*back);
  EXPECT_EQ(b["default-runtime"], "runc");
  EXPECT_FALSE(b["runtimes"].contains("verified"));
  EXPECT_TRUE(b["runtimes"].contains("nvidia"));
}

TEST(DaemonJson, EmptyOrMissingFile) {
  auto m = MergeDaemonJson("", DockerRuntimeEntry{});
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->previous_default);
  auto back = UnmergeDaemonJson(m->text, "verified", std::nullopt);
  EXPECT_EQ(nlohmann::json::parse(*back), nlohmann::json::object());
}

TEST(DaemonJson, RefusesToRewriteWhatItCannotParse) {
  EXPECT_FALSE(MergeDaemonJson("{ not json", DockerRuntimeEntry{}).ok());
  EXPECT_FALSE(MergeDaemonJson("[]", DockerRuntimeEntry{}).ok());
  EXPECT_FALSE(MergeDaemonJson(R"({"runtimes": []})", DockerRuntimeEntry{}).ok());
}

TEST(DaemonJson, PassesANonDefaultStateDir) {
  DockerRuntimeEntry e;
  auto plain = nlohmann::json::parse(MergeDaemonJson("{}", e)->text);
  EXPECT_EQ(plain["runtimes"]["verified"]["runtimeArgs"],
            nlohmann::json({"--config-dir=/etc/verified"}));
  e.state_dir = "/srv/verified-state";
  auto j = nlohmann::json::parse(MergeDaemonJson("{}", e)->text);
  EXPECT_EQ(j["runtimes"]["verified"]["runtimeArgs"],
            nlohmann::json({"--config-dir=/etc/verified", "--state-dir=/srv/verified-state"}));
}

}  // namespace
}  // namespace verified::install
