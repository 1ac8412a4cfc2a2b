// A create decision reads policy.json first and the registrations near its end. The attack: an
// administrator tightens the policy (the rule for app now denies) and then registers app:1
// while a create of app:1 is being decided; before the fix the decision allowed it under the
// old policy and the new registration, a pair that never held on the host. The image is
// resolved between the two reads: a store placed first (CreateRequest::stores) makes the
// edits at exactly that point.
#include <gtest/gtest.h>
#include <sys/sysmacros.h>

#include <functional>
#include <memory>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/decision/decide.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/stores.h"

namespace verified {
namespace {

constexpr const char* kAllowRegistered =
    R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})";
constexpr const char* kDenyApp = R"({"rules":[{"match":"app","action":"deny"}]})";

// The stores of every engine, calling `on_resolve(n)` when the decision resolves its image for
// the n-th time (1, 2, ...): after its n-th policy read, before its n-th registration read.
class HookedStores {
 public:
  explicit HookedStores(std::function<void(int)> on_resolve) {
    auto hook = std::make_unique<Hook>(std::move(on_resolve));
    stores_.push_back(std::move(hook));
    for (auto& s : AllStores()) stores_.push_back(std::move(s));
  }
  const std::vector<std::unique_ptr<Store>>* get() const { return &stores_; }

 private:
  // Answers "not mine" after running the hook, so the next store resolves the image.
  class Hook : public Store {
   public:
    explicit Hook(std::function<void(int)> fn) : fn_(std::move(fn)) {}
    std::string Name() const override { return "hook"; }
    Result<std::optional<ResolvedImage>> Resolve(const ContainerContext&) const override {
      fn_(++calls_);
      return std::optional<ResolvedImage>();
    }

   private:
    std::function<void(int)> fn_;
    mutable int calls_ = 0;
  };
  std::vector<std::unique_ptr<Store>> stores_;
};

class DecidePolicyRaceTest : public ::testing::Test {
 protected:
  DecidePolicyRaceTest() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    testing::WriteFile(tmp_ / "bundle/config.json", R"({"root":{"path":")" + container_.rootfs +
                                                        R"("},"process":{"args":["sh"]}})");
    MountEntry m = tree_.MountFor(container_, image_);
    testing::WriteFile(tmp_ / "mountinfo",
                       "1 0 8:1 / / rw - ext4 /dev/vda rw\n" +
                           fmt::format("100 1 {}:{} / {} rw,relatime - overlay overlay {}\n",
                                       major(m.dev), minor(m.dev), m.mount_point, m.super_options));
    testing::MakeDir(tmp_ / "cfg");
    req_.container_id = container_.id;
    req_.bundle_dir = tmp_ / "bundle";
    req_.config_dir = tmp_ / "cfg";
    req_.state_dir = tmp_ / "state";
    req_.mountinfo_path = tmp_ / "mountinfo";
  }

  void SetPolicy(const std::string& text) {
    ASSERT_TRUE(WriteFileAtomic(req_.config_dir + "/policy.json", text).ok());
  }

  void Register() {
    Registration r;
    r.name = "docker.io/library/app:1";
    r.image_id = image_.image_id;
    r.diff_ids = image_.diff_ids;
    r.chain_ids = image_.chain_ids;
    ASSERT_TRUE(RegistrationStore(req_.config_dir).Put(r).ok());
  }

  // Decides req_, running `on_resolve(n)` when its n-th attempt resolves the image.
  Decision DecideHooked(std::function<void(int)> on_resolve) {
    HookedStores stores(std::move(on_resolve));
    req_.stores = stores.get();
    return Decide(req_);
  }

  testing::TempDir tmp_;
  testing::FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
  CreateRequest req_;
};

TEST_F(DecidePolicyRaceTest, PositiveControlTheHookedStoresAllow) {
  SetPolicy(kAllowRegistered);
  Register();
  Decision d = DecideHooked([](int) {});
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  ASSERT_EQ(d.registrations.size(), 1u);
  EXPECT_EQ(d.registrations.begin()->second.size(), 1u);
}

TEST_F(DecidePolicyRaceTest, DenyThenRegisterDuringTheDecisionIsNotAnAllow) {
  SetPolicy(kAllowRegistered);  // app:1 is not registered: denied
  Decision d = DecideHooked([&](int read) {
    if (read != 1) return;
    SetPolicy(kDenyApp);  // the administrator tightens the policy,
    Register();           // then registers app:1 (for later)
  });
  // Neither state that held (allow-if-registered without the registration, then deny with it)
  // allows app:1: the decision must not either.
  EXPECT_FALSE(d.verdict.Allowed()) << d.verdict.reason;
  EXPECT_NE(d.verdict.reason.find("deny"), std::string::npos) << d.verdict.reason;
  EXPECT_EQ(d.policy_digest, "sha256:" + Sha256Hex(kDenyApp));
  EXPECT_NE(d.steps[0].detail.find("(attempt 2)"), std::string::npos) << d.steps[0].detail;
}

TEST_F(DecidePolicyRaceTest, APolicyChangingUnderEveryAttemptDenies) {
  SetPolicy(kAllowRegistered);
  Register();
  // Every attempt sees a new policy that allows app:1, but never the one it started with.
  Decision d = DecideHooked([&](int read) {
    SetPolicy(std::string(kAllowRegistered) + std::string(static_cast<size_t>(read), ' '));
  });
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("changed while each of 3 attempts"), std::string::npos)
      << d.verdict.reason;
}

}  // namespace
}  // namespace verified
