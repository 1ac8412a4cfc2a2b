// A sandboxed decision's deferred writes: recorded instead of made, then made by the parent
// only at the paths a create decision writes, with the mark never lowered.
#include "verifier/decision/state_updates.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/verifier/signedpolicy/signed_policy_fixture.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/statement_cache.h"
#include "verifier/signedpolicy/verify_cache.h"

namespace verified::signedpolicy {
namespace {

class StateUpdatesTest : public SignedPolicyTest {
 protected:
  SignedPolicyCheck DeferredCheck(DeferredWrites& w) {
    return CheckSignedPolicy({cfg_, state_, kNow, "", true, false, &w});
  }
};

TEST_F(StateUpdatesTest, DeferredCheckWritesNothingAndApplyingMatchesADirectCheck) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  // The statement and signature files must be older than the racy window to be cached.
  usleep(static_cast<useconds_t>(kRacyNs / 1000 + 50000));
  DeferredWrites w;
  auto c = DeferredCheck(w);
  ASSERT_TRUE(c.Accepted()) << c.message;
  struct stat st;
  EXPECT_NE(stat(state_.c_str(), &st), 0) << "a deferring check created the state dir";
  std::vector<DeferredWrite> writes = w.Take();
  std::vector<std::string> paths;
  for (const auto& x : writes) paths.push_back(x.path);
  EXPECT_EQ(paths, (std::vector<std::string>{MarkPath(state_), VerifyCachePath(state_),
                                             StatementCachePath(state_)}));
  for (const auto& x : writes) {
    Status s = ApplyDeferredWrite(x, cfg_, state_);
    ASSERT_TRUE(s.ok()) << x.path << ": " << s.error().What();
  }
  auto mark = ReadMark(state_);
  ASSERT_TRUE(mark.ok() && *mark);
  EXPECT_EQ((*mark)->version, 1);
  ASSERT_EQ(stat(VerifyCachePath(state_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  // The next (direct) check uses the caches the parent wrote.
  auto next = CheckSignedPolicy({cfg_, state_, kNow, "", true, false});
  ASSERT_TRUE(next.Accepted()) << next.message;
  EXPECT_TRUE(next.statement_cached);
}

TEST_F(StateUpdatesTest, MarkIsNeverLowered) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  ASSERT_TRUE(Sign(ops_).ok());  // version 2
  ASSERT_TRUE(Check().Accepted());
  PolicyMark old = ReadMark(state_).value().value();
  old.version = 1;
  ASSERT_TRUE(ApplyDeferredWrite({MarkPath(state_), SerializeMark(old)}, cfg_, state_).ok());
  EXPECT_EQ(ReadMark(state_).value()->version, 2);
  EXPECT_FALSE(ApplyDeferredWrite({MarkPath(state_), "{not a mark"}, cfg_, state_).ok());
  EXPECT_EQ(ReadMark(state_).value()->version, 2);
}

TEST_F(StateUpdatesTest, OnlyTheFilesADecisionWrites) {
  std::string hex(64, 'a');
  for (std::string path :
       {std::string("/etc/passwd"), state_ + "/other", state_ + "/../policy-version",
        cfg_ + "/policy.json", cfg_ + "/content-cache/manifests/" + hex + "/x",
        cfg_ + "/content-cache/manifests/" + std::string(64, 'A'),
        cfg_ + "/content-cache/manifests/../../policy.json", cfg_ + "/content-cache/x/" + hex,
        cfg_ + "/content-cache/manifests/" + hex.substr(1), state_ + "/policy-verified/x"}) {
    Status s = ApplyDeferredWrite({path, "x"}, cfg_, state_);
    ASSERT_FALSE(s.ok()) << path;
    EXPECT_EQ(s.error().kind(), ErrorKind::kPermission) << path;
  }
  EXPECT_EQ(ReadFile(cfg_ + "/policy.json"), R"({"default":"deny"})");
  std::string manifest = cfg_ + "/content-cache/manifests/" + hex;
  ASSERT_TRUE(ApplyDeferredWrite({manifest, "m"}, cfg_, state_).ok());
  EXPECT_EQ(ReadFile(manifest), "m");
  struct stat st;
  ASSERT_EQ(stat((cfg_ + "/content-cache").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
}

}  // namespace
}  // namespace verified::signedpolicy
