// The seal side of the create decision: namespace-join rules, sealed restore, seal intent.
#include "verifier/decision/seal_rules.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "unit/support/temp_dir.h"
#include "verifier/checks/sealed.h"
#include "verifier/seal/seal_index.h"

namespace verified {
namespace {

class SealRules : public ::testing::Test {
 protected:
  SealRules() {
    bundle_ = tmp_ / "bundle";
    seals_ = tmp_ / "seals";
    std::filesystem::create_directories(bundle_);
  }
  void WriteSpec(const std::string& namespaces) {
    std::ofstream(bundle_ + "/config.json")
        << R"({"root":{"path":"rootfs"},"linux":{"namespaces":)" << namespaces << "}}";
  }
  Decision SealedDecision(Mode mode = Mode::kEnforce, Outcome outcome = Outcome::kPass) {
    Decision d;
    d.verdict.decision = outcome == Outcome::kPass ? Action::kAllow : Action::kDeny;
    d.verdict.mode = mode;
    d.verdict.image = "sealed:1";
    d.verdict.image_id = "sha256:" + std::string(64, 'b');
    d.verdict.rule = "rule 1 'sealed'";
    d.verdict.kind = RuleKind::kRule;
    d.verdict.rule_index = 1;
    d.verdict.findings.push_back(Finding{kSealedRequirement, outcome, "ok", "", ""});
    return d;
  }
  Decision Allowed(Mode mode = Mode::kEnforce) {
    Decision d;
    d.verdict.decision = Action::kAllow;
    d.verdict.mode = mode;
    d.verdict.kind = RuleKind::kDefault;
    return d;
  }
  SealRulesInput In(bool restore = false) {
    return SealRulesInput{"c1", bundle_, seals_, tmp_ / "runc", true, restore};
  }
  std::string Self(const std::string& rest) {
    return "/proc/" + std::to_string(getpid()) + "/" + rest;
  }
  // Seals this process's root in the index, as if it were a sealed container's rootfs.
  void SealOurRoot() {
    struct stat st;
    ASSERT_EQ(stat(Self("root").c_str(), &st), 0);
    SealEntry e;
    e.container_id = "sealed1";
    e.runc_root = tmp_ / "elsewhere";  // another engine's runc root
    e.image = "sealed:1";
    e.namespaces = {"pid"};
    e.written_at = time(nullptr);
    ASSERT_TRUE(WriteSealEntry(seals_,
                               RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev),
                                                     static_cast<uint64_t>(st.st_ino)}),
                               e)
                    .ok());
  }

  testing::TempDir tmp_;
  std::string bundle_, seals_;
};

TEST_F(SealRules, OnlyEvaluatedAllowedSealsAreIntended) {
  WriteSpec(R"([{"type":"pid"},{"type":"mount"},{"type":"network","path":"/proc/self/ns/net"}])");
  Decision d = SealedDecision();
  d.spec = std::make_shared<const Spec>(*LoadSpec(bundle_));
  auto seal = SealIntentFor(d, "c");
  ASSERT_TRUE(seal.has_value());
  EXPECT_EQ(seal->namespaces, (std::vector<std::string>{"pid", "mount"}));
  EXPECT_EQ(seal->rule, "rule 1 'sealed'");
  EXPECT_FALSE(SealIntentFor(SealedDecision(Mode::kEnforce, Outcome::kFail), "c").has_value());
  auto audit = SealIntentFor(SealedDecision(Mode::kAudit, Outcome::kFail), "c");
  ASSERT_TRUE(audit.has_value());
  EXPECT_EQ(audit->mode, Mode::kAudit);
  EXPECT_FALSE(
      SealIntentFor(SealedDecision(Mode::kEnforce, Outcome::kNotEvaluated), "c").has_value());
}

TEST_F(SealRules, NoJoinsReadsNothing) {
  WriteSpec(R"([{"type":"pid"}])");
  Decision d = Allowed();
  d.spec = std::make_shared<const Spec>(*LoadSpec(bundle_));
  EXPECT_EQ(ApplySealRules(d, In()), "joins no namespace");
  EXPECT_TRUE(d.verdict.Allowed());
  EXPECT_FALSE(std::filesystem::exists(seals_));
}

TEST_F(SealRules, JoiningASealedContainersNamespaceIsAnEnforcedDeny) {
  SealOurRoot();
  WriteSpec(R"([{"type":"pid","path":")" + Self("ns/pid") + R"("}])");
  Decision d = Allowed(Mode::kAudit);  // this container's own mode does not matter
  ApplySealRules(d, In());             // the spec is read from the bundle
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.kind, RuleKind::kOthersSeal);
  EXPECT_EQ(d.verdict.rule, "the seal of another container");
  EXPECT_EQ(d.verdict.reason,
            "it joins the pid namespace of container sealed1, which runs sealed image sealed:1: "
            "a sealed container cannot be entered");
}

TEST_F(SealRules, AnUnreadableSpecOfAnAllowedContainerIsRefused) {
  WriteSpec("[");  // malformed
  Decision d = Allowed(Mode::kAudit);
  ApplySealRules(d, In());
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.kind, RuleKind::kOthersSeal);
}

TEST_F(SealRules, ASealedContainerJoiningAnotherFailsItsSeal) {
  std::string ns = Self("ns/pid");
  WriteSpec(R"([{"type":"pid","path":")" + ns + R"("},{"type":"mount"}])");
  Decision d = SealedDecision();
  d.spec = std::make_shared<const Spec>(*LoadSpec(bundle_));
  ApplySealRules(d, In());
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.kind, RuleKind::kRule);
  EXPECT_EQ(d.verdict.reason.rfind("rule 1 'sealed' requires sealed: sealed image: it joins the "
                                   "pid namespace " +
                                       ns + " of another container",
                                   0),
            0u)
      << d.verdict.reason;
  // In audit mode the finding is recorded and the container runs.
  Decision a = SealedDecision(Mode::kAudit);
  a.spec = d.spec;
  ApplySealRules(a, In());
  EXPECT_TRUE(a.verdict.Allowed());
  EXPECT_EQ(a.verdict.findings.back().outcome, Outcome::kFail);
  // Rule 2 not judged when the runc root is unknown (explain, audit): said, not refused.
  Decision u = SealedDecision();
  u.spec = d.spec;
  SealRulesInput in = In();
  in.judge_own_joins = false;
  EXPECT_NE(ApplySealRules(u, in).find("not judged"), std::string::npos);
  EXPECT_TRUE(u.verdict.Allowed());
  // The same spec for an unsealed container: nothing to refuse.
  Decision plain = Allowed();
  plain.spec = d.spec;
  ApplySealRules(plain, In());
  EXPECT_TRUE(plain.verdict.Allowed());
}

TEST_F(SealRules, RestoreOfASealedImageIsRefused) {
  WriteSpec("[]");
  Decision d = SealedDecision();
  ApplySealRules(d, In(true));
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.reason,
            "rule 1 'sealed' requires sealed: sealed image: it cannot be restored from a "
            "checkpoint: restore takes the process's code and memory from --image-path, which "
            "no policy checked");
  Decision c = SealedDecision();
  ApplySealRules(c, In(false));  // a create of the same image is fine
  EXPECT_TRUE(c.verdict.Allowed());
  Decision plain = Allowed();
  ApplySealRules(plain, In(true));  // an unsealed image may be restored
  EXPECT_TRUE(plain.verdict.Allowed());
}

}  // namespace
}  // namespace verified
