// The whole decision against a Docker overlay2 tree on disk: policy, bundle, mount table,
// store resolution, evaluation and namespace joins, exactly as verified-runtime runs it; and
// the same decision for an existing container (explain, audit) and an image (check).
#include "verifier/decision/decide.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/checks/catalog.h"
#include "verifier/registry/registration_store.h"

namespace verified {
namespace {

using testing::WriteFile;

class DecideTest : public ::testing::Test {
 protected:
  DecideTest() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    WriteFile(tmp_ / "bundle/config.json",
              R"({"root":{"path":")" + container_.rootfs + R"("},"process":{"args":["sh"]}})");
    WriteMountinfo(tree_.MountFor(container_, image_));
    testing::MakeDir(tmp_ / "cfg");
    req_.container_id = container_.id;
    req_.bundle_dir = tmp_ / "bundle";
    req_.config_dir = tmp_ / "cfg";
    req_.mountinfo_path = tmp_ / "mountinfo";
  }

  void WriteMountinfo(const MountEntry& m) {
    std::string line = fmt::format("100 1 {}:{} / {} rw,relatime - overlay overlay {}\n",
                                   major(m.dev), minor(m.dev), m.mount_point, m.super_options);
    WriteFile(tmp_ / "mountinfo", "1 0 8:1 / / rw - ext4 /dev/vda rw\n" + line);
  }

  void Register() {
    Registration r;
    r.name = "docker.io/library/app:1";
    r.image_id = image_.image_id;
    r.diff_ids = image_.diff_ids;
    r.chain_ids = image_.chain_ids;
    ASSERT_TRUE(RegistrationStore(req_.config_dir).Put(r).ok());
  }

  testing::TempDir tmp_;
  testing::FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
  CreateRequest req_;
};

TEST_F(DecideTest, RegisteredImageIsAllowed) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Register();
  Decision d = Decide(req_);
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  EXPECT_EQ(d.engine, "docker-overlay2");
  EXPECT_EQ(d.top_chain_id, image_.chain_ids.back());
  EXPECT_EQ(d.policy_digest.size(), 71u);
  EXPECT_GT(d.elapsed_us, 0);
  EXPECT_EQ(d.verdict.kind, RuleKind::kRule);
  EXPECT_EQ(d.verdict.rule_index, 1u);
  ASSERT_TRUE(d.image.has_value());
  EXPECT_EQ(d.image->image_id, image_.image_id);
  EXPECT_EQ(d.rootfs, container_.rootfs);
  ASSERT_NE(d.spec, nullptr);
  EXPECT_FALSE(d.seal.has_value());
}

TEST_F(DecideTest, EveryStepIsRecordedInOrder) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  Decision d = Decide(req_);
  ASSERT_EQ(d.steps.size(), kDecisionStepNames.size());
  for (size_t i = 0; i < d.steps.size(); ++i) {
    EXPECT_EQ(d.steps[i].name, kDecisionStepNames[i]);
    EXPECT_FALSE(d.steps[i].detail.empty()) << d.steps[i].name;
    EXPECT_GE(d.steps[i].elapsed_us, 0);
  }
  EXPECT_EQ(d.steps[0].detail.rfind("digest " + d.policy_digest + " (enforce mode", 0), 0u)
      << d.steps[0].detail;
  EXPECT_EQ(d.steps[1].detail, "rootfs " + container_.rootfs);
  EXPECT_EQ(d.steps[2].detail, "overlay at " + container_.rootfs);
  EXPECT_EQ(d.steps[3].detail, "docker-overlay2 image " + image_.image_id);
  EXPECT_EQ(d.steps[4].detail, "default: allow");
  EXPECT_EQ(d.steps[5].detail, "joins no namespace");
  EXPECT_EQ(d.verdict.kind, RuleKind::kDefault);
}

TEST_F(DecideTest, StepsAfterAFailureSayTheyDidNotRun) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  WriteFile(tmp_ / "mountinfo", "1 0 8:1 / / rw - ext4 /dev/vda rw\n");  // rootfs not mounted
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.kind, RuleKind::kError);
  EXPECT_EQ(d.steps[3].detail.rfind("not proven: ", 0), 0u) << d.steps[3].detail;
  EXPECT_EQ(d.steps[4].detail, "not run");
  EXPECT_FALSE(d.image.has_value());
}

TEST_F(DecideTest, BaselineRefusalHasItsKind) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"default":"allow","baseline":{"healthcheck":true}})");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.kind, RuleKind::kBaseline);
  EXPECT_EQ(d.verdict.rule, "the host baseline");
}

TEST_F(DecideTest, ExistingContainerGetsTheSameDecision) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Register();
  ExistingContainer e;
  e.container_id = container_.id;
  e.bundle_dir = req_.bundle_dir;
  e.rootfs = container_.rootfs;
  e.running = true;
  e.config_dir = req_.config_dir;
  e.mountinfo_path = req_.mountinfo_path;
  Decision running = Decide(e);
  Decision created = Decide(req_);
  EXPECT_TRUE(running.verdict.Allowed()) << running.verdict.reason;
  EXPECT_EQ(running.verdict.rule, created.verdict.rule);
  EXPECT_EQ(running.verdict.kind, created.verdict.kind);
  EXPECT_EQ(running.top_chain_id, created.top_chain_id);
  EXPECT_TRUE(running.notes.empty());
  // Stopped, no bundle: the engine's rootfs, no mount cross-check, and both said.
  e.running = false;
  e.bundle_dir.clear();
  Decision stopped = Decide(e);
  EXPECT_TRUE(stopped.verdict.Allowed()) << stopped.verdict.reason;
  EXPECT_EQ(stopped.spec, nullptr);
  EXPECT_EQ(stopped.steps[2].detail.rfind("skipped: the container is not running", 0), 0u);
  EXPECT_NE(stopped.steps[1].detail.find("no bundle"), std::string::npos);
  ASSERT_FALSE(stopped.notes.empty());
  // No rootfs at all: the store step denies, naming it, with the typed image shown.
  e.rootfs.clear();
  e.image_typed = "app:1";
  Decision none = Decide(e);
  EXPECT_FALSE(none.verdict.Allowed());
  EXPECT_EQ(none.verdict.kind, RuleKind::kError);
  EXPECT_EQ(none.verdict.image, "app:1");
}

TEST_F(DecideTest, ImageOnItsOwnSharesTheEvaluation) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Register();
  Decision created = Decide(req_);
  ASSERT_TRUE(created.image.has_value());
  Decision checked = DecideImage(req_.config_dir, *created.image);
  EXPECT_EQ(checked.verdict.decision, created.verdict.decision);
  EXPECT_EQ(checked.verdict.rule, created.verdict.rule);
  EXPECT_EQ(checked.policy_digest, created.policy_digest);
  EXPECT_EQ(checked.steps[1].detail.rfind("not run", 0), 0u);
  // A what-if requirement that fails turns the allow into a deny of its own kind.
  auto hc = MakeRequirement("healthcheck", nlohmann::json(true));
  ASSERT_TRUE(hc.ok() && *hc);
  std::vector<WhatIfRequirement> what_if;
  what_if.push_back(WhatIfRequirement{"healthcheck", std::move(hc).value()});
  Decision what = DecideImage(req_.config_dir, *created.image, what_if);
  EXPECT_FALSE(what.verdict.Allowed());
  EXPECT_EQ(what.verdict.kind, RuleKind::kCheckOption);
  EXPECT_EQ(what.verdict.rule, "--require healthcheck");
  // Without a usable policy: an error verdict and no digest (check reports exit 2).
  Decision no_policy = DecideImage(tmp_ / "nowhere", *created.image);
  EXPECT_TRUE(no_policy.policy_digest.empty());
  EXPECT_EQ(no_policy.verdict.kind, RuleKind::kError);
}

TEST_F(DecideTest, UnregisteredImageIsRefused) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("app:1 is not registered"), std::string::npos);
}

TEST_F(DecideTest, MissingPolicyDenies) {
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("is missing"), std::string::npos);
}

TEST_F(DecideTest, UnknownStoreDeniesEvenWithDefaultAllow) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  testing::MakeDir(tmp_ / "plain-rootfs");
  WriteFile(tmp_ / "bundle/config.json",
            R"({"root":{"path":")" + (tmp_ / "plain-rootfs") + R"("}})");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("in no known engine store"), std::string::npos);
}

TEST_F(DecideTest, AuditModeAllowsAnUnresolvableImage) {
  WriteFile(req_.config_dir + "/policy.json", R"({"mode":"audit"})");
  WriteFile(tmp_ / "mountinfo", "1 0 8:1 / / rw - ext4 /dev/vda rw\n");  // rootfs not mounted
  Decision d = Decide(req_);
  EXPECT_TRUE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.decision, Action::kDeny);
  EXPECT_NE(d.verdict.reason.find("nothing is mounted"), std::string::npos);
}

TEST_F(DecideTest, MalformedBundleDenies) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  WriteFile(tmp_ / "bundle/config.json", "{\"root\":");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("config.json"), std::string::npos);
}

}  // namespace
}  // namespace verified
