#include "ctl/policy_edit.h"

#include <gtest/gtest.h>

#include "ctl/policy_lint.h"
#include "unit/support/temp_dir.h"
#include "verifier/config/config_dir.h"

namespace verified::ctl {
namespace {

TEST(PolicyEdit, CreatesValidatesAndKeepsHandWrittenKeys) {
  testing::TempDir tmp;
  ASSERT_TRUE(EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
                doc["rules"].push_back({{"match", "app"}, {"action", "allow"}});
                return Ok();
              }).ok());
  auto p = LoadPolicy(tmp.path());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rules.size(), 1u);
  // An edit that makes the policy invalid writes nothing.
  std::string before = testing::ReadFile(tmp / "policy.json");
  auto st = EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
    doc["rules"].push_back({{"match", "x"}, {"action", "maybe"}});
    return Ok();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(testing::ReadFile(tmp / "policy.json"), before);
}

TEST(PolicyEdit, RequireArguments) {
  EXPECT_EQ(ParseRequireArg("registered").second, true);
  EXPECT_EQ(ParseRequireArg("max_age_days=30").second, 30);
  EXPECT_EQ(ParseRequireArg("base=alpine:3.20").second, "alpine:3.20");
  EXPECT_EQ(ParseRequireArg("labels=[\"a\"]").second.size(), 1u);
  EXPECT_EQ(ParseRequireArg("registered=false").second, false);
}

TEST(PolicyLint, FindsDeadAndWeakRules) {
  testing::TempDir tmp;
  auto p = ParsePolicy(R"({"default":"allow","rules":[{"match":"**","action":"deny"},
      {"match":"app","action":"allow"},{"match":"b","action":"allow","require":{"registered":true}}]})");
  ASSERT_TRUE(p.ok());
  auto msgs = LintParsedPolicy(*p, RegistrationStore(tmp.path()));
  std::string all;
  for (const auto& m : msgs) all += m.text + "\n";
  EXPECT_NE(all.find("can never match"), std::string::npos) << all;
  EXPECT_NE(all.find("allows by name only"), std::string::npos);
  EXPECT_NE(all.find("no registration matches it"), std::string::npos);
  EXPECT_NE(all.find("the default is allow"), std::string::npos);
}

}  // namespace
}  // namespace verified::ctl
