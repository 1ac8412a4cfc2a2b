#include "ctl/engines/podman_storage.h"

#include <gtest/gtest.h>

#include "unit/verifier/store/cstorage/fake_graphroot.h"

namespace verified::ctl {
namespace {

using verified::testing::FakeGraphRoot;
using verified::testing::FakeCsImage;

class PodmanLookupTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app_ = root_.AddImage("app", 2, {"localhost/app:1", "localhost/app-alias:1"});
    hub_ = root_.AddImage("hub", 1, {"docker.io/library/busybox:latest"});
    q1_ = root_.AddImage("q1", 1, {"quay.io/a/tool:1"});
    q2_ = root_.AddImage("q2", 1, {"ghcr.io/a/tool:1"});
    root_.Flush();
    loc_.graphroot = root_.path();
    loc_.source = "test";
  }
  FakeGraphRoot root_;
  FakeCsImage app_, hub_, q1_, q2_;
  StorageLocation loc_;
};

TEST_F(PodmanLookupTest, ShortNamesResolveAsPodmanDoes) {
  auto img = LookupPodmanImage(loc_, "app:1");
  ASSERT_TRUE(img.ok()) << img.error().What();
  EXPECT_EQ(img->image_id, "sha256:" + app_.id);
  EXPECT_EQ(img->typed_reference, "localhost/app:1");
  EXPECT_TRUE(img->typed_confirmed);
  img = LookupPodmanImage(loc_, "busybox");
  ASSERT_TRUE(img.ok()) << img.error().What();
  EXPECT_EQ(img->typed_reference, "docker.io/library/busybox:latest");
}

TEST_F(PodmanLookupTest, QualifiedNamesIdsAndPrefixes) {
  EXPECT_EQ(LookupPodmanImage(loc_, "quay.io/a/tool:1")->image_id, "sha256:" + q1_.id);
  EXPECT_EQ(LookupPodmanImage(loc_, "sha256:" + hub_.id)->image_id, "sha256:" + hub_.id);
  auto by_prefix = LookupPodmanImage(loc_, app_.id.substr(0, 12));
  ASSERT_TRUE(by_prefix.ok());
  EXPECT_FALSE(by_prefix->typed_confirmed);  // an id is not a name
  EXPECT_EQ(by_prefix->names.size(), 2u);
}

TEST_F(PodmanLookupTest, AmbiguousAndMissing) {
  auto amb = LookupPodmanImage(loc_, "a/tool:1");  // quay.io and ghcr.io both have it
  ASSERT_FALSE(amb.ok());
  EXPECT_NE(amb.error().What().find("matches 2 images"), std::string::npos);
  auto missing = LookupPodmanImage(loc_, "nope:1");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().kind(), ErrorKind::kNotFound);
}

TEST_F(PodmanLookupTest, StoreProblemsAreReported) {
  root_.layers[0]["diff-digest"] = "sha256:" + std::string(64, '0');
  root_.Flush();
  EXPECT_FALSE(LookupPodmanImage(loc_, "app:1").ok());
}

}  // namespace
}  // namespace verified::ctl
