// The parent's side of a sandboxed decision: only a well-formed answer is acted on, and only
// then are its deferred writes made.
#include "shim/sandboxed_decision.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "shim/decision_wire.h"
#include "unit/support/temp_dir.h"
#include "verifier/signedpolicy/verify_cache.h"

namespace verified::shim {
namespace {

using testing::TempDir;

class SandboxedDecisionTest : public ::testing::Test {
 protected:
  SandboxedDecisionTest() {
    req_.container_id = "c1";
    req_.config_dir = dir_ / "cfg";
    req_.state_dir = dir_ / "state";
    testing::MakeDir(req_.config_dir);
  }
  // An allow that asks for one state-dir cache write.
  std::string AllowWithWrite() const {
    Decision d;
    d.verdict.decision = Action::kAllow;
    d.verdict.reason = "allowed by rule 1";
    return SerializeDecisionAnswer(d, {{Cache(), "cache bytes"}});
  }
  std::string Cache() const { return signedpolicy::VerifyCachePath(req_.state_dir); }
  bool CacheWritten() const {
    struct stat st;
    return stat(Cache().c_str(), &st) == 0;
  }
  TempDir dir_;
  CreateRequest req_;
};

TEST_F(SandboxedDecisionTest, WellFormedAllowIsActedOnAndItsWritesMade) {
  SandboxRun run{AllowWithWrite(), "", "no_new_privs, limits, landlock ABI 7, seccomp"};
  CreateDecision d = DecisionFromRun(run, req_, 10);
  EXPECT_TRUE(d.decision.verdict.Allowed());
  EXPECT_EQ(d.sandbox, "no_new_privs, limits, landlock ABI 7, seccomp");
  EXPECT_EQ(testing::ReadFile(Cache()), "cache bytes");
}

TEST_F(SandboxedDecisionTest, MalformedAnswerIsADenyAndWritesNothing) {
  nlohmann::json j = nlohmann::json::parse(AllowWithWrite());
  j["extra"] = true;
  for (std::string answer : {std::string("allow"), std::string(""), j.dump()}) {
    SandboxRun run{answer, "", "seccomp"};
    CreateDecision d = DecisionFromRun(run, req_, 10);
    EXPECT_FALSE(d.decision.verdict.Allowed()) << answer;
    EXPECT_EQ(d.decision.verdict.mode, Mode::kEnforce);
    EXPECT_EQ(d.decision.verdict.rule, "error");
    EXPECT_NE(d.decision.verdict.reason.find("the sandboxed verifier's answer is malformed"),
              std::string::npos)
        << d.decision.verdict.reason;
  }
  EXPECT_FALSE(CacheWritten());
}

TEST_F(SandboxedDecisionTest, FailureIsADenyWithItsMessage) {
  SandboxRun run{std::nullopt, "the sandboxed verifier crashed (signal 11: Segmentation fault)",
                 ""};
  CreateDecision d = DecisionFromRun(run, req_, 10);
  EXPECT_FALSE(d.decision.verdict.Allowed());
  EXPECT_EQ(d.decision.verdict.reason,
            "the sandboxed verifier crashed (signal 11: Segmentation fault)");
  EXPECT_EQ(d.decision.elapsed_us, 10);
  EXPECT_FALSE(CacheWritten());
}

TEST_F(SandboxedDecisionTest, WritesOutsideTheDecisionsFilesAreNotMade) {
  Decision allow;
  allow.verdict.decision = Action::kAllow;
  std::string canary = dir_ / "canary";
  SandboxRun run{SerializeDecisionAnswer(allow, {{canary, "x"}}), "", "seccomp"};
  CreateDecision d = DecisionFromRun(run, req_, 10);
  EXPECT_TRUE(d.decision.verdict.Allowed());
  struct stat st;
  EXPECT_NE(stat(canary.c_str(), &st), 0) << "the parent wrote where the answer said";
}

// Opt-in until the namespace-join step runs outside the child (docs/sandbox.md).
TEST(SandboxSwitch, OnOnlyWhenOn) {
  unsetenv(kSandboxEnv);
  EXPECT_FALSE(SandboxEnabled());
  setenv(kSandboxEnv, "1", 1);
  EXPECT_FALSE(SandboxEnabled()) << "only \"on\" turns it on";
  setenv(kSandboxEnv, "off", 1);
  EXPECT_FALSE(SandboxEnabled());
  setenv(kSandboxEnv, "on", 1);
  EXPECT_TRUE(SandboxEnabled());
  unsetenv(kSandboxEnv);
}

}  // namespace
}  // namespace verified::shim
