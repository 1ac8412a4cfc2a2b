#include "shim/seal_guard.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "verifier/checks/sealed.h"
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
  Decision SealedDecision(Mode mode = Mode::kEnforce, Outcome outcome = Outcome::kPass) {
    Decision d;
    d.verdict.decision = outcome == Outcome::kPass ? Action::kAllow : Action::kDeny;
    d.verdict.mode = mode;
    d.verdict.image = "sealed:1";
    d.verdict.image_id = "sha256:" + std::string(64, 'b');
    d.verdict.rule = "rule 1 'sealed'";
    d.verdict.findings.push_back(Finding{kSealedRequirement, outcome, "ok", "", ""});
    d.rootfs = bundle_;  // stands in for the mounted rootfs
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_, seals_).ok());
  auto rec = ReadSealRecord(root_, "c1");
  ASSERT_TRUE(rec.ok() && rec->has_value());
  EXPECT_EQ((*rec)->namespaces, (std::vector<std::string>{"pid", "mount"}));
  EXPECT_EQ((*rec)->mode, "enforce");
  // The same id created again without a seal loses the stale record.
  Decision plain;
  plain.verdict.decision = Action::kAllow;
  ASSERT_TRUE(ApplySeal(plain, Create("c1"), bundle_, seals_).ok());
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_, seals_).ok());
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_, seals_).ok());
  EXPECT_FALSE(Guard(Args({"exec", "c2", "sh"})).has_value());
  EXPECT_FALSE(Guard(Args({"kill", "c1", "9"})).has_value());
  EXPECT_FALSE(Guard(Args({"delete", "--force", "c1"})).has_value());
  EXPECT_FALSE(Guard(Args({"exec", "--help"})).has_value());
  EXPECT_TRUE(Log().empty());
}

TEST_F(SealGuard, AuditModeLogsAndAllows) {
  ASSERT_TRUE(ApplySeal(SealedDecision(Mode::kAudit), Create("c1"), bundle_, seals_).ok());
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
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_, seals_).ok());
  chmod(SealRecordPath(root_, "c1").c_str(), 0646);
  auto u = Guard(Args({"exec", "c1", "sh"}));
  ASSERT_TRUE(u.has_value());
  EXPECT_NE(u->find("its seal record cannot be trusted"), std::string::npos);
}

TEST_F(SealGuard, SealedCreateIndexesItsRootHostWide) {
  ASSERT_TRUE(ApplySeal(SealedDecision(), Create("c1"), bundle_, seals_).ok());
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
  EXPECT_FALSE(ApplySeal(SealedDecision(), Create("c2"), bundle_, seals_).ok());
}

// Seals this process's root in the index, as if it were a sealed container's rootfs.
void SealOurRoot(const std::string& seals, const std::string& runc_root) {
  struct stat st;
  ASSERT_EQ(stat(("/proc/" + std::to_string(getpid()) + "/root").c_str(), &st), 0);
  SealEntry e;
  e.container_id = "sealed1";
  e.runc_root = runc_root;
  e.image = "sealed:1";
  e.namespaces = {"pid"};
  e.written_at = time(nullptr);
  ASSERT_TRUE(WriteSealEntry(seals,
                             RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev),
                                                   static_cast<uint64_t>(st.st_ino)}),
                             e)
                  .ok());
}

TEST_F(SealGuard, JoiningASealedContainersNamespaceIsAnEnforcedDeny) {
  SealOurRoot(seals_, base_ + "/elsewhere");  // another engine's runc root
  WriteSpec(R"([{"type":"pid","path":"/proc/)" + std::to_string(getpid()) + R"(/ns/pid"}])");
  Decision d;
  d.verdict.decision = Action::kAllow;
  d.verdict.mode = Mode::kAudit;  // this container's own mode does not matter
  RefuseJoiningSealed(d, Create("other"), bundle_, seals_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.rule, "the seal of another container");
  EXPECT_EQ(d.verdict.reason,
            "it joins the pid namespace of container sealed1, which runs sealed image sealed:1: "
            "a sealed container cannot be entered");
}

TEST_F(SealGuard, ASealedContainerJoiningAnotherFailsItsSeal) {
  std::string ns = "/proc/" + std::to_string(getpid()) + "/ns/pid";
  WriteSpec(R"([{"type":"pid","path":")" + ns + R"("},{"type":"mount"}])");
  Decision d = SealedDecision();
  d.spec = std::make_shared<const Spec>(*LoadSpec(bundle_));
  RefuseJoiningSealed(d, Create("s1"), bundle_, seals_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.reason.rfind("rule 1 'sealed' requires sealed: sealed image: it joins the "
                                   "pid namespace " +
                                       ns + " of another container",
                                   0),
            0u)
      << d.verdict.reason;
  // In audit mode the finding is recorded and the container runs.
  Decision a = SealedDecision(Mode::kAudit);
  RefuseJoiningSealed(a, Create("s1"), bundle_, seals_);
  EXPECT_TRUE(a.verdict.Allowed());
  EXPECT_EQ(a.verdict.findings.back().outcome, Outcome::kFail);
  // The same spec for an unsealed container: nothing to refuse.
  Decision plain;
  plain.verdict.decision = Action::kAllow;
  RefuseJoiningSealed(plain, Create("u1"), bundle_, seals_);
  EXPECT_TRUE(plain.verdict.Allowed());
}

TEST_F(SealGuard, RestoreOfASealedImageIsRefused) {
  auto restore =
      *ParseRuncArgs(Args({"restore", "--image-path", base_ + "/img", "--bundle", bundle_, "r1"}));
  Decision d = SealedDecision();
  RefuseSealedRestore(d, restore);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.reason,
            "rule 1 'sealed' requires sealed: sealed image: it cannot be restored from a "
            "checkpoint: restore takes the process's code and memory from --image-path, which "
            "no policy checked");
  Decision c = SealedDecision();
  RefuseSealedRestore(c, Create("r1"));  // a create of the same image is fine
  EXPECT_TRUE(c.verdict.Allowed());
  Decision plain;
  plain.verdict.decision = Action::kAllow;
  RefuseSealedRestore(plain, restore);  // an unsealed image may be restored
  EXPECT_TRUE(plain.verdict.Allowed());
}

}  // namespace
}  // namespace verified::shim
