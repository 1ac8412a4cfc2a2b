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
  ASSERT_TRUE(AppendDecision(path, DecisionRecord(d, "create", "cid")).ok());
  ASSERT_TRUE(AppendDecision(path, DecisionRecord(d, "run", "cid2")).ok());
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

TEST(DecisionLog, UnwritableIsAnError) {
  EXPECT_FALSE(AppendDecision("/proc/verified-cannot-write/x.log", nlohmann::ordered_json{}).ok());
}

}  // namespace
}  // namespace verified::shim
