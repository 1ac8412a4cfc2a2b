#include "verifier/policy/evaluate.h"

#include <gtest/gtest.h>

#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified {
namespace {

std::vector<std::string> Diffs(const std::vector<std::string>& seeds) {
  std::vector<std::string> out;
  for (const auto& s : seeds) out.push_back("sha256:" + Sha256Hex(s));
  return out;
}

// These tests give one config to each layer chain (a metadata-only rebuild is tested with
// the registered requirement itself).
std::string ConfigId(const std::vector<std::string>& seeds) {
  std::string all;
  for (const auto& s : seeds) all += s + "/";
  return "sha256:" + Sha256Hex(all + "config");
}

ResolvedImage Image(const std::string& typed, bool confirmed, const std::vector<std::string>& seeds,
                    std::vector<std::string> names = {}) {
  ResolvedImage img;
  img.engine = "test";
  img.image_id = ConfigId(seeds);
  img.typed_reference = typed;
  img.typed_confirmed = confirmed;
  img.diff_ids = Diffs(seeds);
  img.chain_ids = ChainIds(img.diff_ids);
  img.names = std::move(names);
  return img;
}

class EvaluateTest : public ::testing::Test {
 protected:
  EvaluateTest() : regs_(tmp_.path()) {}

  void Register(const std::string& name, const std::vector<std::string>& seeds) {
    Registration r;
    r.name = ParseReference(name)->String();
    r.image_id = ConfigId(seeds);
    r.diff_ids = Diffs(seeds);
    r.chain_ids = ChainIds(r.diff_ids);
    r.registered_at = "2026-01-01T00:00:00Z";
    ASSERT_TRUE(regs_.Put(r).ok());
  }

  Verdict Eval(const std::string& policy_text, const ResolvedImage& img) {
    auto p = ParsePolicy(policy_text);
    EXPECT_TRUE(p.ok()) << p.error().What();
    return Evaluate(*p, img, nullptr, regs_);
  }

  testing::TempDir tmp_;
  RegistrationStore regs_;
};

constexpr const char* kRegistered =
    R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})";

TEST_F(EvaluateTest, RegisteredTagRuns) {
  Register("app:1", {"base", "app"});
  auto v = Eval(kRegistered, Image("app:1", true, {"base", "app"}));
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
  EXPECT_TRUE(v.Allowed());
  EXPECT_EQ(v.rule, "rule 1 'app'");
  EXPECT_EQ(v.kind, RuleKind::kRule);
  EXPECT_EQ(v.rule_index, 1u);
}

TEST_F(EvaluateTest, RebuiltTagIsRefusedWithExpectedAndActualChains) {
  Register("app:1", {"base", "app"});
  auto img = Image("app:1", true, {"base", "app", "tamper"});
  auto v = Eval(kRegistered, img);
  EXPECT_EQ(v.decision, Action::kDeny);
  std::string msg = RefusalMessage(v);
  EXPECT_NE(msg.find("verified: refused image app:1 (" + img.image_id + ")"), std::string::npos);
  EXPECT_NE(msg.find("rule 1 'app' requires registered"), std::string::npos);
  EXPECT_NE(msg.find(ChainIds(Diffs({"base", "app"})).back()), std::string::npos) << msg;
  EXPECT_NE(msg.find(img.TopChainId()), std::string::npos);
  EXPECT_NE(msg.find("first difference at layer 3"), std::string::npos);
}

TEST_F(EvaluateTest, UnregisteredTagIsRefused) {
  auto v = Eval(kRegistered, Image("app:2", true, {"x"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("app:2 is not registered"), std::string::npos);
}

TEST_F(EvaluateTest, ByIdMatchesARegistrationByChain) {
  Register("app:1", {"base", "app"});
  auto img = Image("sha256:" + std::string(64, 'c'), false, {"base", "app"});
  auto v = Eval(kRegistered, img);  // no stored names: registered names give the rule a match
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
  img =
      Image("sha256:" + std::string(64, 'c'), false, {"base", "app"}, {"docker.io/library/app:7"});
  v = Eval(kRegistered, img);  // stored name matches the rule, chain matches app:1's record
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
}

TEST_F(EvaluateTest, ByIdWithAnUnregisteredChainIsRefused) {
  Register("app:1", {"base", "app"});
  auto img = Image("deadbeef", false, {"other"}, {"docker.io/library/app:1"});
  auto v = Eval(kRegistered, img);
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("no registration covered by this rule"), std::string::npos);
}

TEST_F(EvaluateTest, RegistrationOutsideTheRuleDoesNotCount) {
  Register("other:1", {"base", "app"});
  auto img =
      Image("sha256:" + std::string(64, 'd'), false, {"base", "app"}, {"docker.io/library/app:1"});
  EXPECT_EQ(Eval(kRegistered, img).decision, Action::kDeny);
}

TEST_F(EvaluateTest, UnconfirmedTypedNameIsNotUsed) {
  // The container was created from app:1, but the tag now points elsewhere: storage names
  // decide, and this image has none, so no rule matches.
  auto v = Eval(kRegistered, Image("app:1", false, {"x"}));
  EXPECT_EQ(v.rule, "default");
  EXPECT_EQ(v.kind, RuleKind::kDefault);
  EXPECT_EQ(v.decision, Action::kDeny);
}

TEST_F(EvaluateTest, FirstMatchWinsAndDenyRulesDeny) {
  Register("evil/app:1", {"x"});
  auto v = Eval(R"({"rules":[{"regex":"^evil/.*","action":"deny"},
                            {"match":"**","action":"allow","require":{"registered":true}}]})",
                Image("evil/app:1", true, {"x"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(RefusalMessage(v).find("it matches deny rule 1 regex '^evil/.*'"), std::string::npos);
}

TEST_F(EvaluateTest, DefaultAllowAndAuditMode) {
  auto v = Eval(R"({"default":"allow"})", Image("any:1", true, {"x"}));
  EXPECT_EQ(v.decision, Action::kAllow);
  v = Eval(R"({"mode":"audit"})", Image("any:1", true, {"x"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_TRUE(v.Allowed());
}

TEST_F(EvaluateTest, BaseImageIsAPrefixOfTheChain) {
  Register("alpine:3.20", {"alpine"});
  const char* policy =
      R"({"rules":[{"match":"app","action":"allow","require":{"base":"alpine:3.20"}}]})";
  EXPECT_EQ(Eval(policy, Image("app:1", true, {"alpine", "app"})).decision, Action::kAllow);
  auto v = Eval(policy, Image("app:1", true, {"debian", "app"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("not built on base alpine:3.20"), std::string::npos);
  v = Eval(R"({"rules":[{"match":"app","action":"allow","require":{"base":"busybox"}}]})",
           Image("app:1", true, {"alpine", "app"}));
  EXPECT_NE(v.reason.find("base image busybox:latest is not registered"), std::string::npos);
}

TEST_F(EvaluateTest, ErrorsBecomeDenials) {
  Verdict v = VerdictForError(MakeError(ErrorKind::kIo, "disk on fire"), Mode::kEnforce, "x");
  EXPECT_FALSE(v.Allowed());
  EXPECT_NE(RefusalMessage(v).find("disk on fire"), std::string::npos);
  EXPECT_TRUE(VerdictForError(MakeError(ErrorKind::kIo, "x"), Mode::kAudit, "").Allowed());
}

// Issue 10, part 2: `docker tag evil/tool:1 fine/tool:1` must not step around `deny evil/*`.
constexpr const char* kDefaultAllowDenyEvil =
    R"({"default":"allow","rules":[{"match":"evil/*","action":"deny"}]})";
constexpr const char* kAllowFineDenyEvil =
    R"({"rules":[{"match":"fine/*","action":"allow"},{"match":"evil/*","action":"deny"}]})";

const std::vector<std::string> kBothTags = {"docker.io/evil/tool:1", "docker.io/fine/tool:1"};

TEST_F(EvaluateTest, DenyOnAnotherTagOfTheImageWinsOverDefaultAllow) {
  auto img = Image("fine/tool:1", true, {"x"}, kBothTags);
  auto v = Eval(kDefaultAllowDenyEvil, img);
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_EQ(v.rule, "rule 1 'evil/*'");
  std::string msg = RefusalMessage(v);
  EXPECT_NE(msg.find("refused image fine/tool:1 (" + img.image_id + ")"), std::string::npos);
  EXPECT_NE(msg.find("it is also tagged evil/tool:1, which matches deny rule 1 'evil/*'"),
            std::string::npos)
      << msg;
  // Without the second tag the same image runs: the deny is about the name, not the bytes.
  EXPECT_EQ(Eval(kDefaultAllowDenyEvil, Image("fine/tool:1", true, {"x"}, {kBothTags[1]})).decision,
            Action::kAllow);
}

TEST_F(EvaluateTest, DenyOnAnotherTagWinsOverAnEarlierAllowRuleWithoutRegistered) {
  auto v = Eval(kAllowFineDenyEvil, Image("fine/tool:1", true, {"x"}, kBothTags));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_EQ(v.rule, "rule 2 'evil/*'");
  EXPECT_EQ(v.kind, RuleKind::kRule);
  EXPECT_EQ(v.rule_index, 2u);
  EXPECT_NE(v.reason.find("also tagged evil/tool:1"), std::string::npos) << v.reason;
}

TEST_F(EvaluateTest, DenyOnAnotherTagWinsOverARegisteredAllow) {
  Register("fine/tool:1", {"x"});
  auto v = Eval(R"({"rules":[{"match":"fine/*","action":"allow","require":{"registered":true}},
                             {"match":"evil/*","action":"deny"}]})",
                Image("fine/tool:1", true, {"x"}, kBothTags));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_EQ(v.rule, "rule 2 'evil/*'");
}

TEST_F(EvaluateTest, AnAllowRuleBeforeADenyStillCarvesOutTheNamesItMatches) {
  // Rule order keeps its meaning per name: evil/good:1 first meets the allow rule.
  const char* policy = R"({"rules":[{"match":"evil/good:1","action":"allow"},
                                   {"match":"evil/*","action":"deny"}]})";
  auto v = Eval(policy, Image("evil/good:1", true, {"x"}, {"docker.io/evil/good:1"}));
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
  v = Eval(policy,
           Image("evil/good:1", true, {"x"}, {"docker.io/evil/good:1", "docker.io/evil/bad:1"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("also tagged evil/bad:1"), std::string::npos) << v.reason;
}

TEST_F(EvaluateTest, DigestNamesOfTheImageAreTriedToo) {
  std::string d = "sha256:" + std::string(64, 'a');
  auto v = Eval(kDefaultAllowDenyEvil,
                Image("fine/tool:1", true, {"x"}, {"docker.io/evil/tool@" + d, kBothTags[1]}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("also named evil/tool@" + d), std::string::npos) << v.reason;
}

TEST_F(EvaluateTest, RunByIdIsDeniedByAnyStoredName) {
  auto v =
      Eval(kAllowFineDenyEvil, Image("sha256:" + std::string(64, 'c'), false, {"x"}, kBothTags));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("it is tagged evil/tool:1, which matches deny rule 2"), std::string::npos)
      << v.reason;
}

TEST_F(EvaluateTest, UnconfirmedTypedNameCanDenyButNeverAllow) {
  // Started as evil/tool:1, a tag that has since moved to another image: storage knows this
  // image only as fine/tool:1. The old name still refuses it.
  auto v = Eval(kAllowFineDenyEvil, Image("evil/tool:1", false, {"x"}, {kBothTags[1]}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("it matches deny rule 2 'evil/*'"), std::string::npos) << v.reason;
  // And it selects no allow rule (UnconfirmedTypedNameIsNotUsed): an unnamed image with only
  // an unconfirmed name falls to the default.
  v = Eval(R"({"rules":[{"match":"fine/*","action":"allow"}]})",
           Image("fine/tool:1", false, {"y"}));
  EXPECT_EQ(v.rule, "default");
}

TEST_F(EvaluateTest, RegistrationDerivedNamesAreTriedWhenTheyAreUsed) {
  Register("evil/tool:1", {"x"});
  auto v = Eval(kDefaultAllowDenyEvil, Image("sha256:" + std::string(64, 'c'), false, {"x"}));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("registered as evil/tool:1"), std::string::npos) << v.reason;
}

TEST_F(EvaluateTest, DenyPatternsAndNamesMatchInAnyHostSpelling) {
  for (const char* pat : {"EVIL.IO/*", "evil.io/*"}) {
    for (const char* name : {"evil.io/tool:1", "EVIL.IO/tool:1", "Evil.Io/tool:1"}) {
      std::string policy = std::string(R"({"default":"allow","rules":[{"match":")") + pat +
                           R"(","action":"deny"}]})";
      auto v = Eval(policy, Image("fine/tool:1", true, {"x"}, {name, kBothTags[1]}));
      EXPECT_EQ(v.decision, Action::kDeny) << pat << " " << name;
    }
  }
  for (const char* pat :
       {"index.docker.io/evil/*", "registry-1.docker.io/evil/*", "evil/*", "docker.io/evil/*"}) {
    for (const char* name : {"docker.io/evil/tool:1", "index.docker.io/evil/tool:1",
                             "REGISTRY-1.DOCKER.IO/evil/tool:1"}) {
      std::string policy = std::string(R"({"default":"allow","rules":[{"match":")") + pat +
                           R"(","action":"deny"}]})";
      EXPECT_EQ(Eval(policy, Image("fine/tool:1", true, {"x"}, {name})).decision, Action::kDeny)
          << pat << " " << name;
      // The typed name alone, in any spelling.
      EXPECT_EQ(Eval(policy, Image(name, true, {"x"}, {})).decision, Action::kDeny)
          << pat << " " << name;
    }
  }
}

TEST_F(EvaluateTest, RegistrationUnderAHubAliasMatchesDockerIo) {
  Register("INDEX.DOCKER.IO/library/x:1", {"x"});
  Register("registry-1.docker.io/team/y:2", {"y"});
  auto v = Eval(R"({"rules":[{"match":"**","action":"allow","require":{"registered":true}}]})",
                Image("docker.io/library/x:1", true, {"x"}));
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
  v = Eval(R"({"rules":[{"match":"**","action":"allow","require":{"registered":true}}]})",
           Image("team/y:2", true, {"y"}));
  EXPECT_EQ(v.decision, Action::kAllow) << v.reason;
}

TEST_F(EvaluateTest, DenyOnAnotherNameInAuditModeIsLoggedNotEnforced) {
  auto v =
      Eval(R"({"mode":"audit","default":"allow","rules":[{"match":"evil/*","action":"deny"}]})",
           Image("fine/tool:1", true, {"x"}, kBothTags));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_TRUE(v.Allowed());
}

TEST(CandidateNames, SelectingNamesFirstThenEveryOtherName) {
  testing::TempDir tmp;
  RegistrationStore regs(tmp.path());
  auto img = Image("fine/tool:1", true, {"x"}, {"docker.io/evil/tool:1", "docker.io/fine/tool:1"});
  auto names = CandidateNames(img, regs);
  ASSERT_TRUE(names.ok());
  ASSERT_EQ(names->names.size(), 2u);
  EXPECT_TRUE(names->typed_by_name);
  EXPECT_EQ(names->names[0].ref.String(), "docker.io/fine/tool:1");
  EXPECT_TRUE(names->names[0].selects);
  EXPECT_EQ(names->names[0].source, NameSource::kTyped);
  EXPECT_EQ(names->names[1].ref.String(), "docker.io/evil/tool:1");
  EXPECT_FALSE(names->names[1].selects);
  // Unconfirmed typed name: stored names select, the typed one follows, never selecting.
  img = Image("evil/tool:1", false, {"x"}, {"docker.io/fine/tool:1"});
  names = CandidateNames(img, regs);
  ASSERT_TRUE(names.ok());
  ASSERT_EQ(names->names.size(), 2u);
  EXPECT_FALSE(names->typed_by_name);
  EXPECT_TRUE(names->names[0].selects);
  EXPECT_EQ(names->names[1].ref.String(), "docker.io/evil/tool:1");
  EXPECT_FALSE(names->names[1].selects);
  // An ID is not a name.
  img = Image("sha256:" + std::string(64, 'c'), false, {"x"}, {});
  names = CandidateNames(img, regs);
  ASSERT_TRUE(names.ok());
  EXPECT_TRUE(names->names.empty());
}

}  // namespace
}  // namespace verified
