#include <gtest/gtest.h>
#include <sys/stat.h>

#include "unit/support/temp_dir.h"
#include "verifier/checks/requirement.h"
#include "verifier/decision/seal_rules.h"
#include "verifier/seal/seal_index.h"

namespace verified {
namespace {

class SealWrapperTest : public ::testing::Test {
 protected:
  SealWrapperTest() {
    testing::MakeDir(tmp_ / "rootfs");
    d_.rootfs = tmp_ / "rootfs";
    d_.verdict.decision = Action::kAllow;
    d_.verdict.mode = Mode::kEnforce;
    d_.verdict.image = "localhost/sealed:1";
    d_.verdict.rule = "rule 1 'localhost/sealed'";
    d_.verdict.reason = "allowed by rule 1 'localhost/sealed'";
    d_.verdict.findings.push_back(Pass("sealed", "the container keeps to the image's program"));
  }

  // The entry verified-runtime writes for a sealed container it creates.
  void WrapperSeals(const std::string& id) {
    struct stat st;
    ASSERT_EQ(stat(d_.rootfs.c_str(), &st), 0);
    SealEntry e;
    e.container_id = id;
    e.runc_root = "/run/runc";
    e.image = d_.verdict.image;
    std::string name =
        RootEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
    ASSERT_TRUE(WriteSealEntry(tmp_ / "seals", name, e).ok());
  }

  // The seal rules as the hook asks for them: a caller that never sees exec.
  std::string Apply(Decision& d, const std::string& id, bool sees_exec = false) {
    SealRulesInput in{id, "", tmp_ / "seals", "/run/runc", true, false, sees_exec};
    return ApplySealRules(d, in);
  }

  testing::TempDir tmp_;
  Decision d_;
};

TEST_F(SealWrapperTest, SealedWithoutTheWrapperIsRefused) {
  Apply(d_, "c1");
  EXPECT_FALSE(d_.verdict.Allowed());
  EXPECT_NE(d_.verdict.reason.find("requires sealed: sealed image: only verified-runtime"),
            std::string::npos)
      << d_.verdict.reason;
  EXPECT_EQ(d_.verdict.findings.back().outcome, Outcome::kFail);
}

TEST_F(SealWrapperTest, TheRuntimeItselfNeedsNoEntry) {
  Apply(d_, "c1", /*sees_exec=*/true);
  EXPECT_TRUE(d_.verdict.Allowed()) << d_.verdict.reason;
}

TEST_F(SealWrapperTest, SealedByTheWrapperForThisContainerRuns) {
  WrapperSeals("c1");
  Apply(d_, "c1");
  EXPECT_TRUE(d_.verdict.Allowed()) << d_.verdict.reason;
}

TEST_F(SealWrapperTest, AnotherContainersEntryDoesNotCount) {
  WrapperSeals("c0");
  Apply(d_, "c1");
  EXPECT_FALSE(d_.verdict.Allowed());
}

TEST_F(SealWrapperTest, UntrustedIndexRefuses) {
  WrapperSeals("c1");
  ASSERT_EQ(chmod((tmp_ / "seals").c_str(), 0777), 0);
  Apply(d_, "c1");
  EXPECT_FALSE(d_.verdict.Allowed());
  EXPECT_NE(d_.verdict.reason.find("cannot read the seal index"), std::string::npos)
      << d_.verdict.reason;
}

TEST_F(SealWrapperTest, UnsealedAuditAndRefusedDecisionsAreLeftAlone) {
  Decision unsealed = d_;
  unsealed.verdict.findings.clear();
  Apply(unsealed, "c1");
  EXPECT_TRUE(unsealed.verdict.Allowed());
  Decision audit = d_;
  audit.verdict.mode = Mode::kAudit;
  Apply(audit, "c1");
  EXPECT_EQ(audit.verdict.decision, Action::kAllow);
  Decision refused = d_;
  refused.verdict.decision = Action::kDeny;
  refused.verdict.reason = "no";
  Apply(refused, "c1");
  EXPECT_EQ(refused.verdict.reason, "no");
}

}  // namespace
}  // namespace verified
