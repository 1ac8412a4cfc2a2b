// SIGKILL in the middle of `verifiedctl policy` edits and `verifiedctl register`: a child (this
// test binary forked, never re-exec'd) runs the very writers those commands use in a loop and is
// killed at a random point; after every kill the file must parse and hold a whole version.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <functional>
#include <random>

#include "ctl/policy_edit.h"
#include "unit/faults/fault_recorder.h"
#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/policy/policy_file.h"
#include "verifier/registry/registration_store.h"

namespace verified::testing {
namespace {

constexpr const char* kInterruptedWriteArea = "interrupted writes";
constexpr int kKills = 60;

// Forks a child running `loop` forever, kills it with SIGKILL after a random 0.2-3 ms; returns
// whether the kill (not an exit) ended it.
bool KillMidLoop(const std::function<void()>& loop, std::mt19937& rng) {
  pid_t pid = fork();
  if (pid == 0) {
    for (;;) loop();
  }
  std::uniform_int_distribution<int> us(200, 3000);
  usleep(static_cast<useconds_t>(us(rng)));
  kill(pid, SIGKILL);
  int ws = 0;
  waitpid(pid, &ws, 0);
  return WIFSIGNALED(ws) && WTERMSIG(ws) == SIGKILL;
}

TEST(FaultsInterruptedWrite, PolicyEditKilled) {
  TempDir tmp;
  std::mt19937 rng(14);
  ASSERT_TRUE(ctl::EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
                doc["default"] = "deny";
                return Ok();
              }).ok());
  size_t rules = 0;
  for (int i = 0; i < kKills; ++i) {
    int n = 0;
    ASSERT_TRUE(KillMidLoop(
        [&] {
          // What `verifiedctl policy allow app-N` does: one rule more per edit.
          (void)ctl::EditPolicy(tmp.path(), [&](nlohmann::ordered_json& doc) {
            doc["rules"].push_back({{"match", "app-" + std::to_string(n++)}, {"action", "allow"}});
            return Ok();
          });
        },
        rng));
    auto p = LoadPolicy(tmp.path());
    ASSERT_TRUE(p.ok()) << "after kill " << i << ": " << p.error().What();
    // A whole version: the previous rules and zero or more whole edits, never fewer.
    ASSERT_GE(p->rules.size(), rules) << "after kill " << i;
    rules = p->rules.size();
    EXPECT_EQ(p->default_action, Action::kDeny) << "after kill " << i;
  }
  // The controls: the killed writers did write (whole edits landed between the kills), and
  // nothing they left behind (the lock, a temp file) stops the next edit.
  EXPECT_GT(rules, 0u) << "no edit ever completed: the kills interrupted nothing";
  ASSERT_TRUE(ctl::EditPolicy(tmp.path(), [](nlohmann::ordered_json& doc) {
                doc["rules"].push_back({{"match", "after"}, {"action", "allow"}});
                return Ok();
              }).ok());
  EXPECT_EQ(LoadPolicy(tmp.path())->rules.size(), rules + 1);
  RecordFault(kInterruptedWriteArea,
              "SIGKILL at random points of `policy allow` edits in a loop (60 kills)",
              FaultOutcome::kIntact,
              "policy.json parsed after every kill and held the previous version or a later "
              "whole one",
              tmp.path());
}

Registration Version(int v) {
  Registration r;
  r.name = "docker.io/library/app:1";
  r.diff_ids = {"sha256:" + Sha256Hex("diff" + std::to_string(v))};
  r.chain_ids = r.diff_ids;
  r.image_id = "sha256:" + Sha256Hex("image" + std::to_string(v));
  return r;
}

TEST(FaultsInterruptedWrite, RegisterKilled) {
  TempDir tmp;
  std::mt19937 rng(14);
  RegistrationStore store(tmp.path());
  ASSERT_TRUE(store.Put(Version(0)).ok());
  for (int i = 0; i < kKills; ++i) {
    int v = 0;
    ASSERT_TRUE(KillMidLoop([&] { (void)store.Put(Version(++v % 2)); }, rng));
    auto r = store.FindByName("docker.io/library/app:1");
    ASSERT_TRUE(r.ok()) << "after kill " << i << ": " << r.error().What();
    ASSERT_TRUE(r->has_value()) << "after kill " << i << ": registration lost";
    const std::string id = (*r)->image_id;
    ASSERT_TRUE(id == Version(0).image_id || id == Version(1).image_id) << id;
    EXPECT_EQ((*r)->chain_ids, (id == Version(0).image_id ? Version(0) : Version(1)).chain_ids);
    auto all = store.List();
    ASSERT_TRUE(all.ok()) << "after kill " << i << ": " << all.error().What();
  }
  // The control: nothing the killed writers left behind stops the next register.
  ASSERT_TRUE(store.Put(Version(2)).ok());
  EXPECT_EQ(store.FindByName("docker.io/library/app:1").value()->image_id, Version(2).image_id);
  RecordFault(kInterruptedWriteArea,
              "SIGKILL at random points of `register` (replacing a registration) in a "
              "loop (60 kills)",
              FaultOutcome::kIntact,
              "the registration parsed after every kill and was one whole version (old or new)",
              tmp.path());
}

}  // namespace
}  // namespace verified::testing
