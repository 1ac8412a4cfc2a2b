#include "install/oci_hook_config.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace verified::install {
namespace {

TEST(OciHookConfig, WritesTheHooks100Schema) {
  OciHookConfig c;
  c.hook_path = "/opt/v/verified-hook";
  c.config_dir = "/srv/verified \"x\"";
  c.timeout_seconds = 15;
  c.seal_dir = "/run/v/seals";
  auto text = OciHookConfigText(c);
  ASSERT_TRUE(text.ok()) << text.error().What();
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["version"], "1.0.0");
  EXPECT_EQ(j["hook"]["path"], "/opt/v/verified-hook");
  EXPECT_EQ(j["hook"]["args"],
            nlohmann::json({"verified-hook", "--config-dir", "/srv/verified \"x\"", "--seal-dir",
                            "/run/v/seals"}));
  EXPECT_EQ(j["hook"]["timeout"], 15);
  EXPECT_EQ(j["when"], nlohmann::json({{"always", true}}));
  EXPECT_EQ(j["stages"], nlohmann::json({"createRuntime"}));
  EXPECT_EQ(j.size(), 4u);
  EXPECT_EQ(text->back(), '\n');
}

TEST(OciHookConfig, DefaultsAreTheInstalledPaths) {
  auto text = OciHookConfigText(OciHookConfig{});
  ASSERT_TRUE(text.ok());
  auto j = nlohmann::json::parse(*text);
  EXPECT_EQ(j["hook"]["path"], "/usr/local/bin/verified-hook");
  EXPECT_EQ(j["hook"]["args"][2], "/etc/verified");
  EXPECT_EQ(j["hook"]["args"][4], "/run/verified/seals");
  EXPECT_EQ(j["hook"]["timeout"], kDefaultHookTimeoutSeconds);
}

TEST(OciHookConfig, PrestartIsAcceptedLaterStagesAreNot) {
  OciHookConfig c;
  c.stage = "prestart";
  EXPECT_TRUE(OciHookConfigText(c).ok());
  for (const char* late : {"poststart", "startContainer", "createContainer", "poststop", ""}) {
    c.stage = late;
    EXPECT_FALSE(OciHookConfigText(c).ok()) << late;
  }
}

TEST(OciHookConfig, RefusesRelativePathsAndBadTimeouts) {
  OciHookConfig c;
  c.hook_path = "verified-hook";
  EXPECT_FALSE(OciHookConfigText(c).ok());
  c = OciHookConfig{};
  c.config_dir = "/etc/v\nx";
  EXPECT_FALSE(OciHookConfigText(c).ok());
  c = OciHookConfig{};
  c.seal_dir = "seals";
  EXPECT_FALSE(OciHookConfigText(c).ok());
  for (int t : {0, -1, 3601}) {
    c = OciHookConfig{};
    c.timeout_seconds = t;
    EXPECT_FALSE(OciHookConfigText(c).ok()) << t;
  }
}

TEST(OciHookConfig, PassesANonDefaultStateDir) {
  OciHookConfig c;
  c.state_dir = "/srv/state";
  auto j = nlohmann::json::parse(OciHookConfigText(c).value());
  EXPECT_EQ(j["hook"]["args"],
            nlohmann::json({"verified-hook", "--config-dir", "/etc/verified", "--seal-dir",
                            "/run/verified/seals", "--state-dir", "/srv/state"}));
  c.state_dir = "relative";
  EXPECT_FALSE(OciHookConfigText(c).ok());
}

}  // namespace
}  // namespace verified::install
