#include "shim/seal_guard.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "verifier/checks/sealed.h"
#include "verifier/decision/seal_rules.h"
#include "verifier/seal/seal_index.h"

namespace verified::shim {
namespace {

class SealGuard : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-guard.XXXXXX";
    base_ = mkdtemp(tmpl);
    root_ = base_ + "/root";
    seals_ = base_ + "/seals";
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
  Decision SealedDecision(Mode mode = Mode::kEnforce,
                          ::verified::Outcome outcome = ::verified::Outcome::kPass) {
    Decision d;
    d.verdict.decision = outcome == ::verified::Outcome::kPass ? Action::kAllow : Action::kDeny;
    d.verdict.mode = mode;
    d.verdict.image = "sealed:1";
    d.verdict.image_id = "sha256:" + std::string(64, 'b');
    d.verdict.rule = "rule 1 'sealed'";
    d.verdict.findings.push_back(Finding{kSealedRequirement, outcome, "ok", "", ""});
    d.rootfs = bundle_;  // stands in for the mounted rootfs
    d.spec = std::make_shared<const Spec>(*LoadSpec(bundle_));
    d.seal = SealIntentFor(d, "c1");
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

  std::string base_, root_, bundle_, seals_;
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), seals_).ok());
  auto rec = ReadSealRecord(root_, "c1");
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->namespaces, (std::vector<std::string>{"pid", "mount"}));
  EXPECT_EQ((*rec)->mode, "enforce");
  // The same id created again without a seal loses the stale record.
  Decision plain;
  plain.verdict.decision = Action::kAllow;
  ASSERT_TRUE(ApplySeal(plain, Create("c1"), seals_).ok());
  EXPECT_FALSE(ReadSealRecord(root_, "c1")->has_value());
}

TEST_F(SealGuard, ExecIntoSealedContainerIsRefusedAndLogged) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), seals_).ok());
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), seals_).ok());
  EXPECT_FALSE(Guard(Args({"exec", "c2", "sh"})).has_value());
  EXPECT_FALSE(Guard(Args({"kill", "c1", "9"})).has_value());
  EXPECT_FALSE(Guard(Args({"delete", "--force", "c1"})).has_value());
  EXPECT_FALSE(Guard(Args({"exec", "--help"})).has_value());
  EXPECT_TRUE(Log().empty());
}

TEST_F(SealGuard, AuditModeLogsAndAllows) {
  ASSERT_TRUE(ApplySeal(SealedDecision(Mode::kAudit), Create("c1"), seals_).ok());
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), seals_).ok());
  chmod(SealRecordPath(root_, "c1").c_str(), 0646);
  auto u = Guard(Args({"exec", "c1", "sh"}));
  ASSERT_TRUE(u.has_value());
  EXPECT_NE(u->find("its seal record cannot be trusted"), std::string::npos);
}

TEST_F(SealGuard, SealedCreateIndexesItsRootHostWide) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), seals_).ok());
  struct stat st;
  ASSERT_EQ(stat(bundle_.c_str(), &st), 0);
  std::string name =
      RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
  auto e = ReadSealEntry(seals_, name);
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->container_id, "c1");
  EXPECT_EQ((*e)->runc_root, root_);
  EXPECT_EQ((*e)->namespaces, (std::vector<std::string>{"pid", "mount"}));
  auto rec = ReadSealRecord(root_, "c1");
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->index_entries, (std::vector<std::string>{name}));
  // An index that others may write is refused: the create cannot be sealed.
  chmod(seals_.c_str(), 0777);
  EXPECT_FALSE(ApplySeal(SealedDecision(), Create("c2"), seals_).ok());
}

}  // namespace
}  // namespace verified::shim
