// A create decision reads policy.json first and the registrations near its end. The attack: an
// administrator tightens the policy (the rule for app now denies) and then registers app:1
// while a create of app:1 is being decided; before the fix the decision allowed it under the
// old policy and the new registration, a pair that never held on the host. The mount table is
// read between the two (CreateRequest::mountinfo_path), so a FIFO there stops the decision at
// exactly that point while the test edits the config dir.
#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/decision/decide.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/registry/registration_store.h"

namespace verified {
namespace {

constexpr const char* kAllowRegistered =
    R"({"rules":[{"match":"app","action":"allow","require":{"registered":true}}]})";
constexpr const char* kDenyApp = R"({"rules":[{"match":"app","action":"deny"}]})";

// Whether some fd of this process (the deciding thread's) still has `path` open.
bool OpenHere(const std::string& path) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return false;
  bool found = false;
  while (dirent* e = readdir(dir)) {
    char target[4096];
    std::string link = std::string("/proc/self/fd/") + e->d_name;
    ssize_t n = readlink(link.c_str(), target, sizeof(target) - 1);
    if (n > 0 && std::string(target, static_cast<size_t>(n)) == path) found = true;
  }
  closedir(dir);
  return found;
}

class DecidePolicyRaceTest : public ::testing::Test {
 protected:
  DecidePolicyRaceTest() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    testing::WriteFile(tmp_ / "bundle/config.json", R"({"root":{"path":")" + container_.rootfs +
                                                        R"("},"process":{"args":["sh"]}})");
    MountEntry m = tree_.MountFor(container_, image_);
    mountinfo_ = "1 0 8:1 / / rw - ext4 /dev/vda rw\n" +
                 fmt::format("100 1 {}:{} / {} rw,relatime - overlay overlay {}\n", major(m.dev),
                             minor(m.dev), m.mount_point, m.super_options);
    testing::MakeDir(tmp_ / "cfg");
    EXPECT_EQ(mkfifo((tmp_ / "mountinfo").c_str(), 0600), 0);
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

  // Decides req_ while serving the mount table through the FIFO; `on_read(n)` runs when the
  // decision's n-th read of it (1, 2, ...) has begun, i.e. after its n-th policy read.
  Decision DecideServing(const std::function<void(int)>& on_read) {
    std::atomic<bool> done{false};
    std::thread server([&] {
      int reads = 0;
      while (!done) {
        // Without a reader the open fails (ENXIO): the decision has not reached the mount step.
        int fd = open(req_.mountinfo_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        if (fd < 0) {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
          continue;
        }
        on_read(++reads);
        EXPECT_EQ(write(fd, mountinfo_.data(), mountinfo_.size()),
                  static_cast<ssize_t>(mountinfo_.size()));
        close(fd);
        // The reader still holding this read open would make the next open succeed as if it
        // were the decision's next read.
        while (OpenHere(req_.mountinfo_path)) std::this_thread::yield();
      }
    });
    Decision d = Decide(req_);
    done = true;
    server.join();
    return d;
  }

  testing::TempDir tmp_;
  testing::FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
  std::string mountinfo_;
  CreateRequest req_;
};

TEST_F(DecidePolicyRaceTest, PositiveControlTheFifoServesAnAllow) {
  SetPolicy(kAllowRegistered);
  Register();
  Decision d = DecideServing([](int) {});
  EXPECT_TRUE(d.verdict.Allowed()) << d.verdict.reason;
  ASSERT_EQ(d.registrations.size(), 1u);
  EXPECT_EQ(d.registrations.begin()->second.size(), 1u);
}

TEST_F(DecidePolicyRaceTest, DenyThenRegisterDuringTheDecisionIsNotAnAllow) {
  SetPolicy(kAllowRegistered);  // app:1 is not registered: denied
  Decision d = DecideServing([&](int read) {
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
  Decision d = DecideServing([&](int read) {
    SetPolicy(std::string(kAllowRegistered) + std::string(static_cast<size_t>(read), ' '));
  });
  EXPECT_FALSE(d.verdict.Allowed());
  EXPECT_NE(d.verdict.reason.find("changed while each of 3 attempts"), std::string::npos)
      << d.verdict.reason;
}

}  // namespace
}  // namespace verified
