#include "verifier/policy/policy.h"

#include <gtest/gtest.h>

namespace verified {
namespace {

std::string PolicyErrorOf(const std::string& text) {
  auto p = ParsePolicy(text);
  EXPECT_FALSE(p.ok());
  return p.ok() ? "" : p.error().What();
}

TEST(Policy, ParsesRulesInOrder) {
  auto p = ParsePolicy(R"({"version":1,"mode":"audit","default":"allow","rules":[
      {"name":"co","match":"my_company/*","action":"allow","require":{"registered":true,"base":"alpine:3.20"}},
      {"regex":"^bad/.*","action":"deny"}]})");
  ASSERT_TRUE(p.ok()) << p.error().What();
  EXPECT_EQ(p->mode, Mode::kAudit);
  EXPECT_EQ(p->default_action, Action::kAllow);
  ASSERT_EQ(p->rules.size(), 2u);
  EXPECT_EQ(p->rules[0].index, 1u);
  EXPECT_EQ(p->rules[0].requirements.size(), 2u);
  EXPECT_EQ(p->rules[0].Describe(), "rule 1 'my_company/*' (co)");
  EXPECT_EQ(p->rules[1].action, Action::kDeny);
  EXPECT_TRUE(p->rules[1].pattern.is_regex());
  EXPECT_EQ(p->digest.size(), 71u);
}

TEST(Policy, DefaultsFailClosed) {
  auto p = ParsePolicy("{}");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->mode, Mode::kEnforce);
  EXPECT_EQ(p->default_action, Action::kDeny);
}

TEST(Policy, RejectsWhatWouldSilentlyWeakenIt) {
  EXPECT_NE(
      PolicyErrorOf(R"({"rules":[{"match":"a","action":"allow","require":{"registred":true}}]})")
          .find("unknown requirement 'registred'"),
      std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"mode":"enforcing"})").find("mode"), std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"defualt":"deny"})").find("unknown key 'defualt'"),
            std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"rules":[{"match":"a","action":"permit"}]})").find("action"),
            std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"rules":[{"match":"a","regex":"b","action":"allow"}]})")
                .find("exactly one"),
            std::string::npos);
  EXPECT_NE(
      PolicyErrorOf(R"({"rules":[{"match":"a","action":"deny","require":{"registered":true}}]})")
          .find("deny rule cannot carry"),
      std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"rules":[{"match":"a"}]})").find("no action"), std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"version":2})").find("version"), std::string::npos);
  EXPECT_NE(PolicyErrorOf(R"({"rules":[{"match":"a","action":"allow","require":{"base":5}}]})")
                .find("base"),
            std::string::npos);
}

TEST(Policy, LimitsSizeAndDepth) {
  EXPECT_NE(PolicyErrorOf(std::string(kMaxPolicyBytes + 1, ' ')).find("exceeds"),
            std::string::npos);
  EXPECT_NE(PolicyErrorOf(std::string(200, '[')).find("nested deeper"), std::string::npos);
  EXPECT_NE(PolicyErrorOf("{\"rules\": [").find("malformed JSON"), std::string::npos);
}

}  // namespace
}  // namespace verified
