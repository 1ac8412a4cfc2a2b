#include "ctl/policy_edit.h"

#include <gtest/gtest.h>

#include "ctl/policy_lint.h"
#include "unit/support/temp_dir.h"
#include "verifier/policy/policy_file.h"

namespace verified::ctl {
namespace {

TEST(PolicyEdit, CreatesValidatesAndKeepsHandWrittenKeys) {
  verified::testing::TempDir tmp;
  ASSERT_TRUE(EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
                doc["rules"].push_back({{"match", "app"}, {"action", "allow"}});
                return Ok();
              }).ok());
  auto p = LoadPolicy(tmp.path());
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->rules.size(), 1u);
  // An edit that makes the policy invalid writes nothing.
  std::string before = verified::testing::ReadFile(tmp / "policy.json");
  auto st = EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
    doc["rules"].push_back({{"match", "x"}, {"action", "maybe"}});
    return Ok();
  });
  EXPECT_FALSE(st.ok());
  EXPECT_EQ(verified::testing::ReadFile(tmp / "policy.json"), before);
}

TEST(PolicyEdit, RequireArguments) {
  EXPECT_EQ(ParseRequireArg("registered").second, true);
  EXPECT_EQ(ParseRequireArg("max_age_days=30").second, 30);
  EXPECT_EQ(ParseRequireArg("base=alpine:3.20").second, "alpine:3.20");
  EXPECT_EQ(ParseRequireArg("labels=[\"a\"]").second.size(), 1u);
  EXPECT_EQ(ParseRequireArg("registered=false").second, false);
}

TEST(PolicyLint, FindsDeadAndWeakRules) {
  verified::testing::TempDir tmp;
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

TEST(PolicyEdit, GlobsAreComparedNormalised) {
  nlohmann::ordered_json rule = {{"match", "EVIL.IO/*"}, {"action", "deny"}};
  EXPECT_TRUE(RuleHasPattern(rule, "evil.io/*", false));
  EXPECT_TRUE(RuleHasPattern(rule, "Evil.Io/*", false));
  EXPECT_FALSE(RuleHasPattern(rule, "evil.io/**", false));
  EXPECT_FALSE(RuleHasPattern(rule, "EVIL.IO/*", true));  // not a regex rule
  nlohmann::ordered_json hub = {{"match", "index.docker.io/evil/*"}, {"action", "deny"}};
  EXPECT_TRUE(RuleHasPattern(hub, "evil/*", false));
  EXPECT_TRUE(RuleHasPattern(hub, "registry-1.docker.io/evil/*", false));
  EXPECT_FALSE(RuleHasPattern(hub, "EVIL/*", false));  // registry host EVIL
  nlohmann::ordered_json regex = {{"regex", "^EVIL.*"}, {"action", "deny"}};
  EXPECT_TRUE(RuleHasPattern(regex, "^EVIL.*", true));
  EXPECT_FALSE(RuleHasPattern(regex, "^evil.*", true));  // regexes compare as written
}

TEST(PolicyEdit, ReplacingARuleByAnotherSpellingKeepsOneRule) {
  verified::testing::TempDir tmp;
  auto add = [&](const std::string& pattern) {
    return EditPolicy(tmp.path(), [&](nlohmann::ordered_json& doc) -> Status {
      for (auto& r : doc["rules"]) {
        if (RuleHasPattern(r, pattern, false)) {
          r = {{"match", pattern}, {"action", "deny"}};
          return Ok();
        }
      }
      doc["rules"].push_back({{"match", pattern}, {"action", "deny"}});
      return Ok();
    });
  };
  ASSERT_TRUE(add("EVIL.IO/*").ok());
  ASSERT_TRUE(add("evil.io/*").ok());
  auto p = LoadPolicy(tmp.path());
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->rules.size(), 1u);
  EXPECT_EQ(p->rules[0].pattern.text(), "evil.io/*");  // stored as written
}

TEST(PolicyLint, SpellingsOfOnePatternAreRepeats) {
  verified::testing::TempDir tmp;
  auto p = ParsePolicy(R"({"rules":[{"match":"EVIL.IO/*","action":"deny"},
      {"match":"evil.io/*","action":"deny"},{"match":"index.docker.io/x/*","action":"deny"},
      {"match":"x/*","action":"deny"},{"regex":"^EVIL\\.IO/.*","action":"deny"},
      {"regex":"^[A-Z]\\S+","action":"deny"}]})");
  ASSERT_TRUE(p.ok()) << p.error().What();
  auto msgs = LintParsedPolicy(*p, RegistrationStore(tmp.path()));
  std::string all;
  for (const auto& m : msgs) all += m.text + "\n";
  EXPECT_NE(all.find("rule 2 'evil.io/*' repeats the pattern"), std::string::npos) << all;
  EXPECT_NE(all.find("rule 4 'x/*' repeats the pattern"), std::string::npos) << all;
  EXPECT_NE(all.find("rule 5 regex '^EVIL\\.IO/.*' has capital letters"), std::string::npos) << all;
  EXPECT_EQ(all.find("rule 6 regex"), std::string::npos) << all;  // classes, not literals
}

TEST(PolicyLint, RegistrationUnderAnOlderHostSpellingIsReported) {
  verified::testing::TempDir tmp;
  RegistrationStore regs(tmp.path());
  Registration r;
  r.name = "Registry.Example.com/x:1";
  r.registered_at = "2026-01-01T00:00:00Z";
  ASSERT_TRUE(regs.Put(r).ok());
  auto p = ParsePolicy(R"({"rules":[]})");
  ASSERT_TRUE(p.ok());
  auto msgs = LintParsedPolicy(*p, regs);
  std::string all;
  for (const auto& m : msgs) all += m.text + "\n";
  EXPECT_NE(all.find("registration Registry.Example.com/x:1 was stored under an older spelling of "
                     "registry.example.com: run verifiedctl register registry.example.com/x:1"),
            std::string::npos)
      << all;
}

}  // namespace
}  // namespace verified::ctl
