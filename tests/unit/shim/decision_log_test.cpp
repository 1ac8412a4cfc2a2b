#include "shim/decision_log.h"

#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

TEST(DecisionLog, OneJsonLinePerDecision) {
  testing::TempDir tmp;
  Decision d;
  d.verdict.decision = Action::kDeny;
  d.verdict.image = "app:1";
  d.verdict.image_id = "sha256:x";
  d.verdict.rule = "rule 1 'app'";
  d.verdict.reason = "because";
  d.verdict.findings.push_back(Fail("registered", "chain differs", "sha256:a", "sha256:b"));
  d.engine = "docker-overlay2";
  d.top_chain_id = "sha256:b";
  d.policy_digest = "sha256:p";
  d.elapsed_us = 1234;
  std::string path = tmp / "sub/dir/decisions.log";
  ASSERT_TRUE(AppendDecision(path, CreateDecisionRecord(d, "create", "cid")).ok());
  ASSERT_TRUE(AppendDecision(path, CreateDecisionRecord(d, "run", "cid2")).ok());
  std::string text = testing::ReadFile(path);
  auto nl = text.find('\n');
  auto first = nlohmann::json::parse(text.substr(0, nl));
  EXPECT_EQ(first["container"], "cid");
  EXPECT_EQ(first["verdict"], "deny");
  EXPECT_EQ(first["allowed"], false);
  EXPECT_EQ(first["image_id"], "sha256:x");
  EXPECT_EQ(first["chain_id"], "sha256:b");
  EXPECT_EQ(first["reasons"][0], "registered: chain differs");
  EXPECT_EQ(first["policy_digest"], "sha256:p");
  EXPECT_EQ(first["elapsed_us"], 1234);
  EXPECT_EQ(nlohmann::json::parse(text.substr(nl + 1))["command"], "run");
}

TEST(DecisionLog, CreateRecordKeysInOrder) {
  Decision d;
  d.verdict.decision = Action::kAllow;
  d.verdict.reason = "allowed by rule 1";
  nlohmann::ordered_json j = DecisionLogJson(CreateDecisionRecord(d, "create", "c"));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "command", "container", "engine", "image",
                                            "image_id", "chain_id", "verdict", "enforced",
                                            "allowed", "mode", "rule", "reasons", "policy_digest",
                                            "registration_digests", "elapsed_us"}));
  EXPECT_TRUE(j["registration_digests"].is_object());
  EXPECT_TRUE(j["registration_digests"].empty());
}

TEST(DecisionLog, NamesTheRegistrationStateTheVerdictSaw) {
  Decision d;
  d.policy_digest = "sha256:p";
  d.registrations["images/by-name/a.json"] = {"sha256:1"};
  d.registrations["images/by-name/b.json"] = {std::nullopt};
  d.registrations["images/by-name/c.json"] = {std::nullopt, "sha256:2"};
  auto j = DecisionLogJson(CreateDecisionRecord(d, "create", "c"));
  EXPECT_EQ(j["policy_digest"], "sha256:p");
  EXPECT_EQ(j["registration_digests"].dump(),
            R"({"images/by-name/a.json":"sha256:1","images/by-name/b.json":null,)"
            R"("images/by-name/c.json":[null,"sha256:2"]})");
}

TEST(DecisionLog, ExecRecordIsTheSameTypeWithoutStoreFields) {
  SealRecord seal;
  seal.container_id = "c1";
  seal.image = "sealed:1";
  seal.image_id = "sha256:s";
  seal.rule = "rule 1 'sealed'";
  seal.mode = "audit";
  auto j = DecisionLogJson(ExecDecisionRecord(seal, true, "it runs sealed image", 7));
  std::vector<std::string> keys;
  for (auto it = j.begin(); it != j.end(); ++it) keys.push_back(it.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"time", "command", "container", "image", "image_id",
                                            "verdict", "enforced", "allowed", "mode", "rule",
                                            "reasons", "elapsed_us"}));
  EXPECT_EQ(j["command"], "exec");
  EXPECT_EQ(j["verdict"], "deny");
  EXPECT_EQ(j["enforced"], false);
  EXPECT_EQ(j["allowed"], true);
  EXPECT_EQ(j["reasons"][0], "it runs sealed image");
}

TEST(DecisionLog, UnwritableIsAnError) {
  EXPECT_FALSE(AppendDecision("/proc/verified-cannot-write/x.log", DecisionLogRecord{}).ok());
}

}  // namespace
}  // namespace verified::shim
