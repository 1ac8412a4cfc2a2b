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

}  // namespace
}  // namespace verified
