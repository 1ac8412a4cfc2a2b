// The signed policy inside the one create decision: checked on the very policy loaded, before
// anything else, whatever the policy's mode; the mark raised by creates only.
#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/decision/decide.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/policy_sign.h"
#include "verifier/signedpolicy/signed_policy.h"

namespace verified {
namespace {

using testing::WriteFile;

constexpr int64_t kNow = 1798761600;  // 2027-01-01T00:00:00Z

class DecideSignedPolicyTest : public ::testing::Test {
 protected:
  DecideSignedPolicyTest() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    WriteFile(tmp_ / "bundle/config.json",
              R"({"root":{"path":")" + container_.rootfs + R"("},"process":{"args":["sh"]}})");
    const MountEntry m = tree_.MountFor(container_, image_);
    WriteFile(tmp_ / "mountinfo",
              "1 0 8:1 / / rw - ext4 /dev/vda rw\n" +
                  fmt::format("100 1 {}:{} / {} rw,relatime - overlay overlay {}\n", major(m.dev),
                              minor(m.dev), m.mount_point, m.super_options));
    req_.container_id = container_.id;
    req_.bundle_dir = tmp_ / "bundle";
    req_.config_dir = tmp_ / "cfg";
    req_.state_dir = tmp_ / "state";
    req_.mountinfo_path = tmp_ / "mountinfo";
    req_.now_unix = kNow;
    WriteFile(req_.config_dir + "/policy.json",
              R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})");
    Registration r;
    r.name = "docker.io/library/app:1";
    r.image_id = image_.image_id;
    r.diff_ids = image_.diff_ids;
    r.chain_ids = image_.chain_ids;
    EXPECT_TRUE(RegistrationStore(req_.config_dir).Put(r).ok());
    EXPECT_TRUE(
        signature::AddKey(signature::PolicyKeyDirectory(req_.config_dir), ops_.public_key).ok());
  }

  void Sign(int64_t validity = 86400) {
    auto s = signedpolicy::SignPolicy(
        {req_.config_dir, req_.state_dir, ops_.private_pem, "ops.key", kNow, kNow + validity, 0});
    ASSERT_TRUE(s.ok()) << s.error().What();
  }

  testing::TempDir tmp_;
  testing::FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
  CreateRequest req_;
  signature::KeyPair ops_ = signature::GenerateEcdsaP256("ops").value();
};

TEST_F(DecideSignedPolicyTest, SignedPolicyIsUsedAndTheMarkRaised) {
  Sign();
  Decision d = Decide(req_);
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  EXPECT_EQ(d.policy_signature.rfind("signed policy: version 1 signed by ops", 0), 0u)
      << d.policy_signature;
  EXPECT_NE(d.steps[0].detail.find("signed policy: version 1"), std::string::npos);
  EXPECT_EQ(signedpolicy::ReadMark(req_.state_dir).value()->version, 1);
}

TEST_F(DecideSignedPolicyTest, UnsignedDeniesEvenInAuditMode) {
  WriteFile(req_.config_dir + "/policy.json", R"({"mode":"audit","default":"allow"})");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.mode, Mode::kEnforce);
  EXPECT_EQ(d.verdict.reason.rfind("signed policy: the policy is unsigned", 0), 0u)
      << d.verdict.reason;
  EXPECT_EQ(d.policy_digest, "");
  EXPECT_EQ(d.policy_signature, d.verdict.reason);
  EXPECT_EQ(d.steps[1].detail, "not run") << "nothing after the policy step runs";
}

TEST_F(DecideSignedPolicyTest, ExpiredDeniesAtTheInjectedTime) {
  Sign(3600);
  req_.now_unix = kNow + 3600;
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_EQ(d.verdict.reason.rfind("signed policy: expired: version 1", 0), 0u) << d.verdict.reason;
}

TEST_F(DecideSignedPolicyTest, ChecksAndExplainsLookWithoutRaisingTheMark) {
  Sign(3650LL * 86400);  // judged with the system clock
  ExistingContainer c;
  c.container_id = container_.id;
  c.bundle_dir = req_.bundle_dir;
  c.running = true;
  c.config_dir = req_.config_dir;
  c.state_dir = req_.state_dir;
  c.mountinfo_path = req_.mountinfo_path;
  Decision d = Decide(c);
  EXPECT_EQ(d.policy_signature.rfind("signed policy: version 1 signed by ops", 0), 0u)
      << d.policy_signature << d.verdict.reason;
  EXPECT_EQ(signedpolicy::ReadMark(req_.state_dir).value(), std::nullopt);
}

TEST_F(DecideSignedPolicyTest, RegistrationFilesAreCheckedAsTheyAreRead) {
  Sign();
  ASSERT_TRUE(Decide(req_).verdict.Allowed());
  // The registration of app:1, edited in place after signing (same name, new content).
  std::string rel = "images/by-name/" + Sha256Hex("docker.io/library/app:1") + ".json";
  std::string path = req_.config_dir + "/" + rel;
  std::string text = testing::ReadFile(path);
  WriteFile(path, text + " ");
  Decision d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("signed policy: unsigned edit: " + rel +
                                  " changed since version 1 was signed"),
            std::string::npos)
      << d.verdict.reason;
  WriteFile(path, text);
  EXPECT_TRUE(Decide(req_).verdict.Allowed());
  // A registration added after signing is refused by the decisions that read it; this one
  // reads only app:1's files (no create lists images/), so another image's stays unread here.
  // `verifiedctl policy status` (hash_registrations) lists and hashes everything.
  WriteFile(req_.config_dir + "/images/by-name/" + std::string(64, 'e') + ".json", "{}");
  d = Decide(req_);
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  auto status = signedpolicy::CheckSignedPolicy(
      {req_.config_dir, req_.state_dir, req_.now_unix, "", false, true});
  EXPECT_EQ(status.refusal, signedpolicy::PolicyRefusal::kUnsignedEdit) << status.message;
  EXPECT_NE(status.message.find("was added since version 1 was signed"), std::string::npos)
      << status.message;
  // app:1's own registration file replaced by a record nobody signed: refused when read.
  WriteFile(path, "{}");
  d = Decide(req_);
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find(rel + " changed since version 1 was signed"), std::string::npos)
      << d.verdict.reason;
}

}  // namespace
}  // namespace verified
