// The whole create path against a Docker overlay2 tree on disk: policy, bundle, mount table,
// store resolution and evaluation, exactly as verified-runtime runs it.
#include "verifier/policy/decide.h"

#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
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
  Decision d = DecideCreate(req_);
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  EXPECT_EQ(d.engine, "docker-overlay2");
  EXPECT_EQ(d.top_chain_id, image_.chain_ids.back());
  EXPECT_EQ(d.policy_digest.size(), 71u);
  EXPECT_GT(d.elapsed_us, 0);
}

TEST_F(DecideTest, UnregisteredImageIsRefused) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Decision d = DecideCreate(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("app:1 is not registered"), std::string::npos);
}

TEST_F(DecideTest, MissingPolicyDenies) {
  Decision d = DecideCreate(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("is missing"), std::string::npos);
}

TEST_F(DecideTest, UnknownStoreDeniesEvenWithDefaultAllow) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  testing::MakeDir(tmp_ / "plain-rootfs");
  WriteFile(tmp_ / "bundle/config.json",
            R"({"root":{"path":")" + (tmp_ / "plain-rootfs") + R"("}})");
  Decision d = DecideCreate(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("in no known engine store"), std::string::npos);
}

TEST_F(DecideTest, AuditModeAllowsAnUnresolvableImage) {
  WriteFile(req_.config_dir + "/policy.json", R"({"mode":"audit"})");
  WriteFile(tmp_ / "mountinfo", "1 0 8:1 / / rw - ext4 /dev/vda rw\n");  // rootfs not mounted
  Decision d = DecideCreate(req_);
  EXPECT_TRUE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.decision, Action::kDeny);
  EXPECT_NE(d.verdict.reason.find("nothing is mounted"), std::string::npos);
}

TEST_F(DecideTest, MalformedBundleDenies) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  WriteFile(tmp_ / "bundle/config.json", "{\"root\":");
  Decision d = DecideCreate(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("config.json"), std::string::npos);
}

std::vector<std::string> StepNames(const Decision& d) {
  std::vector<std::string> names;
  for (const auto& s : d.steps) names.push_back(s.name);
  return names;
}

TEST_F(DecideTest, StepsNameWhatEachFoundInOrder) {
  WriteFile(req_.config_dir + "/policy.json",
            R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
  Register();
  Decision d = DecideCreate(req_);
  ASSERT_EQ(StepNames(d), (std::vector<std::string>{"policy", "spec", "mount", "store", "checks"}));
  EXPECT_EQ(d.steps[0].detail, "digest " + d.policy_digest);
  EXPECT_EQ(d.steps[1].detail, "rootfs " + d.rootfs);
  EXPECT_EQ(d.steps[2].detail, "overlay mounted at the rootfs");
  EXPECT_EQ(d.steps[3].detail, "docker-overlay2 image " + image_.image_id);
  EXPECT_EQ(d.steps[4].detail, d.verdict.rule + ": allow");
  int64_t sum = 0;
  for (const auto& s : d.steps) {
    EXPECT_GE(s.elapsed_us, 0) << s.name;
    sum += s.elapsed_us;
  }
  EXPECT_LE(sum, d.elapsed_us);
}

TEST_F(DecideTest, TheFailingStepIsTheLastAndNamesTheError) {
  WriteFile(req_.config_dir + "/policy.json", R"({"default":"allow"})");
  WriteFile(tmp_ / "mountinfo", "1 0 8:1 / / rw - ext4 /dev/vda rw\n");  // rootfs not mounted
  Decision d = DecideCreate(req_);
  ASSERT_EQ(StepNames(d), (std::vector<std::string>{"policy", "spec", "mount", "store"}));
  EXPECT_EQ(d.steps[2].detail, "no mount at the rootfs");
  EXPECT_NE(d.steps[3].detail.find("nothing is mounted"), std::string::npos) << d.steps[3].detail;
}

TEST_F(DecideTest, MissingPolicyIsTheOnlyStep) {
  Decision d = DecideCreate(req_);
  ASSERT_EQ(StepNames(d), std::vector<std::string>{"policy"});
  EXPECT_NE(d.steps[0].detail.find("is missing"), std::string::npos);
}

}  // namespace
}  // namespace verified
