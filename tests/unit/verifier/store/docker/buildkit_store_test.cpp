#include "verifier/store/docker/buildkit_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/support/fake_buildkit_step.h"
#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/store/docker/layerdb.h"
#include "verifier/store/stores.h"

namespace verified {
namespace {

using testing::AddBuildKitStep;
using testing::FakeBuildKitStep;
using testing::FakeDockerTree;
using testing::TempDir;
using testing::WriteFile;

class BuildKitStoreTest : public ::testing::Test {
 protected:
  BuildKitStoreTest() : tree_(tmp_ / "docker") {
    base_ = tree_.AddImage({"os", "base"}, {"base:1", "base:latest"});
    step_ = AddBuildKitStep(tree_, base_, 2);
    mounts_ = {step_.mount};
  }

  Result<std::optional<ResolvedImage>> Resolve() {
    // BuildKit chooses the id, bundle and rootfs names: they carry no authority.
    ContainerContext ctx{step_.id, tree_.root() + "/buildkit/executor/" + step_.id, nullptr,
                         step_.rootfs, &mounts_};
    return DockerBuildKitStore().Resolve(ctx);
  }

  std::string ErrorOf() {
    auto r = Resolve();
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().What();
  }

  TempDir tmp_;
  FakeDockerTree tree_;
  testing::FakeImage base_;
  FakeBuildKitStep step_;
  std::vector<MountEntry> mounts_;
};

bool HasNote(const ResolvedImage& img, const std::string& needle) {
  for (const auto& n : img.notes) {
    if (n.find(needle) != std::string::npos) return true;
  }
  return false;
}

TEST_F(BuildKitStoreTest, ResolvesTheBaseBelowTheBuildsLayers) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  const ResolvedImage& img = **r;
  EXPECT_EQ(img.engine, "docker-buildkit");
  EXPECT_EQ(img.image_id, base_.image_id);
  EXPECT_EQ(img.chain_ids, base_.chain_ids);
  EXPECT_EQ(img.typed_reference, "");
  EXPECT_FALSE(img.typed_confirmed);
  EXPECT_EQ(img.names, (std::vector<std::string>{"docker.io/library/base:1",
                                                 "docker.io/library/base:latest"}));
  ASSERT_EQ(img.layers.size(), 2u);
  EXPECT_EQ(img.layers[0].layer_id, base_.cache_ids[0]);
  EXPECT_TRUE(HasNote(img, "added 2 layer(s)"));
}

TEST_F(BuildKitStoreTest, FirstRunDirectlyOnTheBase) {
  step_ = AddBuildKitStep(tree_, base_, 0);
  mounts_ = {step_.mount};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->image_id, base_.image_id);
  EXPECT_TRUE(HasNote(**r, "added 0 layer(s)"));
}

TEST_F(BuildKitStoreTest, RelativeLayerDirsAsMobyUsesForLongOptions) {
  step_ = AddBuildKitStep(tree_, base_, 1, /*relative=*/true);
  mounts_ = {step_.mount};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->image_id, base_.image_id);
}

TEST_F(BuildKitStoreTest, LongestStoredChainIsTheBase) {
  // bad:1 is base:1 plus one layer: a build FROM bad:1 is bad:1's, not base:1's.
  auto bad = tree_.AddImage({"os", "base", "evil"}, {"bad:1"});
  step_ = AddBuildKitStep(tree_, bad, 1);
  mounts_ = {step_.mount};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->image_id, bad.image_id);
  EXPECT_EQ((*r)->names, std::vector<std::string>{"docker.io/library/bad:1"});
  EXPECT_TRUE(HasNote(**r, "added 1 layer(s)"));
}

TEST_F(BuildKitStoreTest, BaseBuiltByBuildKitKeepsSnapshotCacheIds) {
  testing::UseBuildKitCacheId(tree_, base_, 1);
  ASSERT_TRUE(docker::IsGraphId(base_.cache_ids[1]));
  step_ = AddBuildKitStep(tree_, base_, 1);
  mounts_ = {step_.mount};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->layers[1].layer_id, base_.cache_ids[1]);
}

TEST_F(BuildKitStoreTest, UntaggedOrPulledBaseIsRefused) {
  auto pulled = tree_.AddImage({"pulled-os"}, {});  // in layerdb, never tagged
  step_ = AddBuildKitStep(tree_, pulled, 1);
  mounts_ = {step_.mount};
  EXPECT_NE(ErrorOf().find("not the whole layer chain of any tagged image"), std::string::npos);
}

TEST_F(BuildKitStoreTest, PartOfAnImagesChainIsNoBase) {
  auto first_only = base_;
  first_only.links.pop_back();  // the base's bottom layer, then the build's own
  step_ = AddBuildKitStep(tree_, first_only, 1);
  mounts_ = {step_.mount};
  EXPECT_NE(ErrorOf().find("not the whole layer chain of any tagged image"), std::string::npos);
}

TEST_F(BuildKitStoreTest, ImagesWithTheSameChainAreAmbiguous) {
  tree_.AddImage({"os", "base"}, {"twin:1"}, R"("author":"someone else",)");
  std::string e = ErrorOf();
  EXPECT_NE(e.find("cannot tell which one"), std::string::npos) << e;
  EXPECT_NE(e.find("twin:1"), std::string::npos) << e;
}

TEST_F(BuildKitStoreTest, BaseLayersOutOfOrderAreRefused) {
  auto swapped = base_;
  std::swap(swapped.links[0], swapped.links[1]);
  step_ = AddBuildKitStep(tree_, swapped, 1);
  mounts_ = {step_.mount};
  EXPECT_NE(ErrorOf().find("not the whole layer chain of any tagged image"), std::string::npos);
}

TEST_F(BuildKitStoreTest, LowerdirOutsideTheStoreIsRefused) {
  std::string opts = step_.mount.super_options;
  mounts_[0].super_options =
      opts.replace(opts.find("lowerdir=") + 9, 0, tmp_ / "evil" + std::string(":"));
  EXPECT_NE(ErrorOf().find("is outside"), std::string::npos);
}

TEST_F(BuildKitStoreTest, UpperdirOutsideTheStoreIsRefused) {
  std::string l = tree_.root() + "/overlay2/l/";
  mounts_[0].super_options = "rw,lowerdir=" + l + base_.links[1] + ":" + l + base_.links[0] +
                             ",upperdir=/tmp/up/diff,workdir=/tmp/up/work";
  EXPECT_NE(ErrorOf().find("upperdir /tmp/up/diff is outside"), std::string::npos);
}

TEST_F(BuildKitStoreTest, FromScratchBindMountHasNothingToProve) {
  mounts_[0].fs_type = "ext4";
  mounts_[0].super_options = "rw";
  EXPECT_NE(ErrorOf().find("FROM scratch"), std::string::npos);
}

TEST_F(BuildKitStoreTest, NothingMountedIsRefused) {
  mounts_.clear();
  EXPECT_NE(ErrorOf().find("nothing is mounted"), std::string::npos);
}

TEST_F(BuildKitStoreTest, UnknownMountTableIsRefused) {
  ContainerContext ctx{step_.id, "/bundle", nullptr, step_.rootfs, nullptr};
  auto r = DockerBuildKitStore().Resolve(ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("not mounted"), std::string::npos);
}

TEST_F(BuildKitStoreTest, MountOfAnotherFilesystemIsRefused) {
  mounts_[0].dev += 1;
  EXPECT_NE(ErrorOf().find("not the mount listed"), std::string::npos);
}

TEST_F(BuildKitStoreTest, TamperedBaseConfigIsRefused) {
  WriteFile(tree_.root() + "/image/overlay2/imagedb/content/sha256/" + base_.image_id.substr(7),
            "{}");
  EXPECT_NE(ErrorOf().find("content hashes to"), std::string::npos);
}

TEST_F(BuildKitStoreTest, NotMineOutsideADockerDataRoot) {
  std::string rootfs = tmp_ / "other/buildkit/executor/abc/rootfs";
  testing::MakeDir(rootfs);
  ContainerContext ctx{"abc", "/bundle", nullptr, rootfs, &mounts_};
  auto r = DockerBuildKitStore().Resolve(ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(BuildKitStoreTest, AllStoresRouteBuildStepsHere) {
  ContainerContext ctx{step_.id, tree_.root() + "/buildkit/executor/" + step_.id, nullptr,
                       step_.rootfs, &mounts_};
  auto r = ResolveImage(ctx, AllStores());
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ(r->engine, "docker-buildkit");
  EXPECT_EQ(r->image_id, base_.image_id);
}

TEST(BuildKitDataRoot, RecognisesOnlyTheExecutorShape) {
  EXPECT_EQ(BuildKitDataRoot("/var/lib/docker/buildkit/executor/abc/rootfs"), "/var/lib/docker");
  EXPECT_FALSE(BuildKitDataRoot("/var/lib/docker/buildkit/executor/abc/merged"));
  EXPECT_FALSE(BuildKitDataRoot("/var/lib/docker/buildkit/other/abc/rootfs"));
  EXPECT_FALSE(BuildKitDataRoot("/buildkit/executor/abc/rootfs"));
  EXPECT_FALSE(BuildKitDataRoot("rootfs"));
}

TEST(GraphIds, AcceptBuildKitSnapshotIds) {
  EXPECT_TRUE(docker::IsBuildKitId("1q2kt4k90phgmg5u0tt2lv4ed"));  // measured on dockerd 20.10
  EXPECT_FALSE(docker::IsBuildKitId("1q2kt4k90phgmg5u0tt2lv4e"));
  EXPECT_FALSE(docker::IsBuildKitId("1Q2kt4k90phgmg5u0tt2lv4ed"));
  EXPECT_FALSE(docker::IsBuildKitId("../kt4k90phgmg5u0tt2lv4ed"));
  EXPECT_TRUE(docker::IsGraphId("1q2kt4k90phgmg5u0tt2lv4ed"));
  EXPECT_TRUE(docker::IsGraphId(std::string(64, 'f')));
  EXPECT_FALSE(docker::IsGraphId(std::string(63, 'f')));
}

}  // namespace
}  // namespace verified
