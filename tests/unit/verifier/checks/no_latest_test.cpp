#include "verifier/checks/no_latest.h"

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::Image;
using testing::RunRule;

TEST(NoLatest, Classifies) {
  std::string id = "sha256:" + std::string(12, 'a') + std::string(52, 'b');
  EXPECT_EQ(ClassifyTyped("app", id), TypedKind::kUntagged);
  EXPECT_EQ(ClassifyTyped("registry.local:5000/app", id), TypedKind::kUntagged);
  EXPECT_EQ(ClassifyTyped("app:latest", id), TypedKind::kLatest);
  EXPECT_EQ(ClassifyTyped("registry.local:5000/app:latest", id), TypedKind::kLatest);
  EXPECT_EQ(ClassifyTyped("app:1.2", id), TypedKind::kTagged);
  EXPECT_EQ(ClassifyTyped("registry.local:5000/app:1.2", id), TypedKind::kTagged);
  EXPECT_EQ(ClassifyTyped("app@sha256:" + std::string(64, 'c'), id), TypedKind::kDigest);
  EXPECT_EQ(ClassifyTyped(id, id), TypedKind::kImageId);
  EXPECT_EQ(ClassifyTyped("aaaaaaaaaaaa", id), TypedKind::kImageId);
  EXPECT_EQ(ClassifyTyped("", id), TypedKind::kUnknown);
  EXPECT_EQ(ClassifyTyped("not a name", id), TypedKind::kUnknown);
}

TEST(NoLatest, AllowsPinnedReferences) {
  EXPECT_EQ(RunRule("no_latest", true, Image({}, "app:1.2"), nullptr).outcome, Outcome::kPass);
  EXPECT_EQ(
      RunRule("no_latest", true, Image({}, "app@sha256:" + std::string(64, 'c')), nullptr).outcome,
      Outcome::kPass);
}

TEST(NoLatest, RefusesLatestAndUntagged) {
  Finding latest = RunRule("no_latest", true, Image({}, "app:latest"), nullptr);
  EXPECT_EQ(latest.outcome, Outcome::kFail);
  EXPECT_NE(latest.message.find("latest tag moves"), std::string::npos);
  Finding bare = RunRule("no_latest", true, Image({}, "app"), nullptr);
  EXPECT_EQ(bare.outcome, Outcome::kFail);
  EXPECT_NE(bare.message.find("with no tag"), std::string::npos);
  EXPECT_EQ(RunRule("no_latest", true, Image({}, ""), nullptr).outcome, Outcome::kFail);
}

}  // namespace
}  // namespace verified
