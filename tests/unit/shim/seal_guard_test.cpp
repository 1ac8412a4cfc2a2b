#include "shim/seal_guard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "verifier/checks/sealed.h"

namespace verified::shim {
namespace {

class SealGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-guard.XXXXXX";
    base_ = mkdtemp(tmpl);
    root_ = base_ + "/root";
    bundle_ = base_ + "/bundle";
    std::filesystem::create_directories(bundle_);
    WriteSpec(R"([{"type":"pid"},{"type":"mount"},{"type":"network","path":"/proc/self/ns/net"}])");
    settings_.decision_log = base_ + "/decisions.log";
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  void WriteSpec(const std::string& namespaces) {
    std::ofstream(bundle_ + "/config.json")
        << R"({"root":{"path":"rootfs"},"linux":{"namespaces":)" << namespaces << "}}";
  }
  std::vector<std::string> Args(std::vector<std::string> tail) {
    std::vector<std::string> a = {"--root", root_, "--log", base_ + "/log.json"};
    a.insert(a.end(), tail.begin(), tail.end());
    return a;
  }
  std::optional<std::string> Guard(const std::vector<std::string>& args) {
    return GuardExec(args, ParseRuncGlobals(args), Result<RuntimeSettings>(settings_));
  }
  Decision SealedDecision(Mode mode = Mode::kEnforce, Outcome outcome = Outcome::kPass) {
    Decision d;
    d.verdict.decision = outcome == Outcome::kPass ? Action::kAllow : Action::kDeny;
    d.verdict.mode = mode;
    d.verdict.image = "sealed:1";
    d.verdict.image_id = "sha256:" + std::string(64, 'b');
    d.verdict.rule = "rule 1 'sealed'";
    d.verdict.findings.push_back(Finding{kSealedRequirement, outcome, "ok", "", ""});
    return d;
  }
  RuncCommandLine Create(const std::string& id) {
    return *ParseRuncArgs(Args({"create", "--bundle", bundle_, id}));
  }
  std::string Log() {
    std::ifstream f(settings_.decision_log);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }

  std::string base_, root_, bundle_;
  RuntimeSettings settings_;
};

TEST_F(SealGuard, RootDefaultsLikeRunc) {
  RuncGlobals g;
  g.root = "/x/y";
  EXPECT_EQ(RuncRoot(g), "/x/y");
  if (geteuid() == 0) {
    EXPECT_EQ(RuncRoot(RuncGlobals{}), "/run/runc");
  }
}

TEST_F(SealGuard, SealedCreateRecordsTheSealWithItsOwnNamespaces) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_).ok());
  auto rec = ReadSealRecord(root_, "c1");
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->namespaces, (std::vector<std::string>{"pid", "mount"}));
  EXPECT_EQ((*rec)->mode, "enforce");
  // The same id created again without a seal loses the stale record.
  Decision plain;
  plain.verdict.decision = Action::kAllow;
  ASSERT_TRUE(ApplySeal(plain, Create("c1"), bundle_).ok());
  EXPECT_FALSE(ReadSealRecord(root_, "c1")->has_value());
}

TEST_F(SealGuard, OnlyEvaluatedAllowedSealsAreRecorded) {
  EXPECT_TRUE(SealFor(SealedDecision(), "c").has_value());
  EXPECT_FALSE(SealFor(SealedDecision(Mode::kEnforce, Outcome::kFail), "c").has_value());
  auto audit = SealFor(SealedDecision(Mode::kAudit, Outcome::kFail), "c");
  ASSERT_TRUE(audit.has_value());
  EXPECT_EQ(audit->mode, "audit");
  EXPECT_FALSE(SealFor(SealedDecision(Mode::kEnforce, Outcome::kNotEvaluated), "c").has_value());
}

TEST_F(SealGuard, ExecIntoSealedContainerIsRefusedAndLogged) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_).ok());
  auto r = Guard(Args({"exec", "--process", "/tmp/p.json", "--detach", "c1"}));
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r, "verified: refused exec into container c1: it runs sealed image sealed:1 (sha256:" +
                    std::string(64, 'b') +
                    "), sealed by rule 1 'sealed': a sealed container cannot be entered");
  EXPECT_NE(Log().find(R"("command":"exec","container":"c1")"), std::string::npos);
  EXPECT_NE(Log().find(R"("verdict":"deny","enforced":true,"allowed":false)"), std::string::npos);
}

TEST_F(SealGuard, ExecIntoUnsealedContainerAndOtherCommandsPass) {
  EXPECT_FALSE(Guard(Args({"exec", "c2", "sh"})).has_value());
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_).ok());
  EXPECT_FALSE(Guard(Args({"exec", "c2", "sh"})).has_value());
  EXPECT_FALSE(Guard(Args({"kill", "c1", "9"})).has_value());
  EXPECT_FALSE(Guard(Args({"delete", "--force", "c1"})).has_value());
  EXPECT_FALSE(Guard(Args({"exec", "--help"})).has_value());
  EXPECT_TRUE(Log().empty());
}

TEST_F(SealGuard, AuditModeLogsAndAllows) {
  ASSERT_TRUE(ApplySeal(SealedDecision(Mode::kAudit), Create("c1"), bundle_).ok());
  EXPECT_FALSE(Guard(Args({"exec", "c1", "sh"})).has_value());
  EXPECT_NE(Log().find(R"("mode":"audit")"), std::string::npos);
  EXPECT_NE(Log().find(R"("allowed":true)"), std::string::npos);
}

TEST_F(SealGuard, UncertainExecLinesAndUntrustedRecordsAreRefused) {
  auto r = Guard(Args({"exec", "--no-such-flag", "c1"}));
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("cannot parse the runc exec command line with certainty"), std::string::npos);
  std::vector<std::string> bad_globals = {"--log", "exec", "c1"};  // --log eats "exec"... then c1
  EXPECT_FALSE(Guard(bad_globals).has_value());                    // subcommand "c1", not exec
  std::vector<std::string> broken = {"--bogus-global", "exec", "c1"};
  ASSERT_TRUE(Guard(broken).has_value());
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_).ok());
  chmod(SealRecordPath(root_, "c1").c_str(), 0646);
  auto u = Guard(Args({"exec", "c1", "sh"}));
  ASSERT_TRUE(u.has_value());
  EXPECT_NE(u->find("its seal record cannot be trusted"), std::string::npos);
}

TEST_F(SealGuard, JoiningASealedContainersNamespaceIsRefused) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("sealed1"), bundle_).ok());
  // runc's state of the sealed container: its init process is this test process.
  std::filesystem::create_directories(root_ + "/sealed1");
  std::ofstream(root_ + "/sealed1/state.json") << R"({"init_process_pid":)" << getpid() << "}";
  WriteSpec(R"([{"type":"pid","path":"/proc/self/ns/pid"},{"type":"mount"}])");
  auto joins = GuardNamespaceJoin(Create("other"), bundle_);
  ASSERT_TRUE(joins.has_value());
  EXPECT_EQ(*joins,
            "it joins the pid namespace of container sealed1, which runs sealed image sealed:1: "
            "a sealed container cannot be entered");
  // The network namespace was not the sealed container's own: joining it is fine.
  WriteSpec(R"([{"type":"network","path":"/proc/self/ns/net"},{"type":"pid"}])");
  EXPECT_FALSE(GuardNamespaceJoin(Create("other"), bundle_).has_value());
  // The decision is turned into an enforced deny.
  WriteSpec(R"([{"type":"pid","path":"/proc/self/ns/pid"}])");
  Decision d;
  d.verdict.decision = Action::kAllow;
  d.verdict.mode = Mode::kAudit;
  RefuseJoiningSealed(d, Create("other"), bundle_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.rule, "the seal of another container");
}

}  // namespace
}  // namespace verified::shim
