#include "verifier/image/runtime_config.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

using nlohmann::json;

json DockerConfig(const json& patch = json::object()) {
  json j = {{"architecture", "amd64"},
            {"created", "2026-01-01T00:00:00Z"},
            {"history", json::array()},
            {"config",
             {{"Hostname", ""},
              {"Env", {"PATH=/usr/bin:/bin"}},
              {"Cmd", {"/bin/sh", "-c", "echo hi"}},
              {"Entrypoint", nullptr},
              {"OnBuild", nullptr},
              {"Labels", nullptr},
              {"WorkingDir", ""},
              {"ExposedPorts", {{"8080/tcp", json::object()}, {"53/udp", json::object()}}}}},
            {"rootfs", {{"type", "layers"}, {"diff_ids", json::array()}}}};
  j["config"].merge_patch(patch);
  return j;
}

TEST(RuntimeConfig, KeepsOnlySetRuntimeFieldsInCompactForm) {
  auto c = ExtractRuntimeConfig(DockerConfig());
  ASSERT_TRUE(c.ok()) << c.error().What();
  json want = {{"Env", {"PATH=/usr/bin:/bin"}},
               {"Cmd", {"/bin/sh", "-c", "echo hi"}},
               {"ExposedPorts", {"53/udp", "8080/tcp"}},
               {"created", "2026-01-01T00:00:00Z"}};
  EXPECT_EQ(*c, want);
  EXPECT_TRUE(ParseRuntimeConfig(*c).ok());
  // An OCI config with no "config" section, and a document that is not an object.
  EXPECT_EQ(*ExtractRuntimeConfig(json{{"created", "x"}}), (json{{"created", "x"}}));
  EXPECT_EQ(*ExtractRuntimeConfig(json::array()), json::object());
}

TEST(RuntimeConfig, HealthcheckKeepsOnlyMobyFields) {
  auto c = ExtractRuntimeConfig(DockerConfig(
      {{"Healthcheck", {{"Test", {"CMD", "true"}}, {"Interval", 1000}, {"Vendor", "x"}}}}));
  ASSERT_TRUE(c.ok()) << c.error().What();
  EXPECT_EQ((*c)["Healthcheck"], (json{{"Test", {"CMD", "true"}}, {"Interval", 1000}}));
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Healthcheck", {{"Interval", "1s"}}}})).ok());
}

TEST(RuntimeConfig, WrongTypesInTheImageConfigAreErrors) {
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Env", "PATH=/bin"}})).ok());
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Entrypoint", {"/a", 1}}})).ok());
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"User", 0}})).ok());
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Labels", {{"a", 1}}}})).ok());
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Volumes", {"/data"}}})).ok());
  json many = json::array();
  for (size_t i = 0; i <= kMaxRuntimeConfigEntries; ++i) many.push_back("V=1");
  EXPECT_FALSE(ExtractRuntimeConfig(DockerConfig({{"Env", many}})).ok());
}

TEST(RuntimeConfig, ParserIsStrict) {
  EXPECT_TRUE(ParseRuntimeConfig(json::object()).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json::array()).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json{{"Hostname", "x"}}).ok());  // not runtime-relevant
  EXPECT_FALSE(ParseRuntimeConfig(json{{"User", ""}}).ok());       // empty is never stored
  EXPECT_FALSE(ParseRuntimeConfig(json{{"Env", {"A=1", nullptr}}}).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json{{"ExposedPorts", {{"80/tcp", json::object()}}}}).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json{{"Healthcheck", {{"Test", "CMD"}}}}).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json{{"Healthcheck", {{"Bogus", 1}}}}).ok());
  EXPECT_FALSE(ParseRuntimeConfig(json{{"Labels", {{"a", nullptr}}}}).ok());
  EXPECT_TRUE(ParseRuntimeConfig(json{{"Labels", {{"a", "b"}}}, {"OnBuild", {"RUN x"}}}).ok());
}

TEST(RuntimeConfig, ChangesNameEachFieldAndVariableNamesOnly) {
  json was = *ExtractRuntimeConfig(DockerConfig(
      {{"Labels", {{"keep", "1"}, {"gone", "2"}}}, {"Env", {"PATH=/bin", "MODE=a", "OLD=1"}}}));
  json now = *ExtractRuntimeConfig(
      DockerConfig({{"Labels", {{"keep", "changed"}, {"new", "3"}}},
                    {"Env", {"PATH=/bin", "MODE=b", "LD_PRELOAD=/tmp/evil.so"}},
                    {"Entrypoint", {"/bin/sh"}},
                    {"User", "root"},
                    {"Healthcheck", {{"Test", {"NONE"}}}}}));
  auto changes = RuntimeConfigChanges(was, now);
  std::vector<std::string> want = {"entrypoint",
                                   "env (LD_PRELOAD added, MODE changed, OLD removed)", "user",
                                   "labels (keep changed, new added, gone removed)", "healthcheck"};
  EXPECT_EQ(changes, want);
  for (const auto& c : changes) EXPECT_EQ(c.find("evil.so"), std::string::npos) << c;
  EXPECT_TRUE(RuntimeConfigChanges(was, was).empty());
  json later = was;
  later["created"] = "2027-01-01T00:00:00Z";
  EXPECT_EQ(RuntimeConfigChanges(was, later), std::vector<std::string>{"created"});
}

TEST(RuntimeConfig, LongListsOfChangedNamesAreCut) {
  json was = json::object();
  json now = {{"Env", json::array()}};
  for (int i = 0; i < 9; ++i) now["Env"].push_back("V" + std::to_string(i) + "=1");
  auto changes = RuntimeConfigChanges(was, now);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0], "env (V0 added, V1 added, V2 added, V3 added, V4 added, ...)");
}

}  // namespace
}  // namespace verified
