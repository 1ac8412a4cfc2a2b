#include "verifier/store/docker/overlay2_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/support/fake_buildkit_step.h"
#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"
#include "verifier/policy/evaluate.h"
#include "verifier/store/docker/repositories.h"

namespace verified {
namespace {

using testing::FakeDockerTree;
using testing::TempDir;
using testing::WriteFile;

class Overlay2StoreTest : public ::testing::Test {
 protected:
  Overlay2StoreTest() : tree_(tmp_ / "docker") {
    image_ = tree_.AddImage({"base", "app"}, {"app:1"});
    container_ = tree_.AddContainer(image_, "app:1");
    mounts_ = {tree_.MountFor(container_, image_)};
  }

  Result<std::optional<ResolvedImage>> Resolve() {
    ContainerContext ctx{container_.id, "/bundle", nullptr, container_.rootfs, &mounts_};
    return DockerOverlay2Store().Resolve(ctx);
  }

  std::string ErrorOf() {
    auto r = Resolve();
    EXPECT_FALSE(r.ok());
    return r.ok() ? "" : r.error().What();
  }

  TempDir tmp_;
  FakeDockerTree tree_;
  testing::FakeImage image_;
  testing::FakeContainer container_;
  std::vector<MountEntry> mounts_;
};

TEST_F(Overlay2StoreTest, ResolvesIdentityFromStoreAndMount) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  const ResolvedImage& img = **r;
  EXPECT_EQ(img.engine, "docker-overlay2");
  EXPECT_EQ(img.store_root, tree_.root());
  EXPECT_EQ(img.image_id, image_.image_id);
  EXPECT_EQ(img.diff_ids, image_.diff_ids);
  EXPECT_EQ(img.chain_ids, image_.chain_ids);
  EXPECT_EQ(img.typed_reference, "app:1");
  EXPECT_TRUE(img.typed_confirmed);
  ASSERT_EQ(img.names.size(), 1u);
  EXPECT_EQ(img.names[0], "docker.io/library/app:1");
  ASSERT_EQ(img.layers.size(), 2u);
  EXPECT_EQ(img.layers[0].layer_id, image_.cache_ids[0]);
  EXPECT_EQ(img.layers[1].diff_dir, tree_.root() + "/overlay2/" + image_.cache_ids[1] + "/diff");
}

TEST_F(Overlay2StoreTest, RelativeLowerdirsAsMobyUsesForLongOptions) {
  mounts_ = {tree_.MountFor(container_, image_, /*relative=*/true)};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE(r->has_value());
}

TEST_F(Overlay2StoreTest, ImageBuiltByBuildKitKeepsSnapshotCacheIds) {
  // Measured on dockerd 20.10: an exported BuildKit layer's cache-id is its snapshot id.
  testing::UseBuildKitCacheId(tree_, image_, 1);
  mounts_ = {tree_.MountFor(container_, image_)};
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->layers[1].layer_id, image_.cache_ids[1]);
  EXPECT_EQ((*r)->layers[1].layer_id.size(), 25u);
}

TEST_F(Overlay2StoreTest, NotMineForOtherPaths) {
  ContainerContext ctx{container_.id, "/bundle", nullptr, tmp_ / "rootfs", &mounts_};
  auto r = DockerOverlay2Store().Resolve(ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(Overlay2StoreTest, TagMovedAwayIsNotConfirmed) {
  tree_.AddImage({"other"}, {"app:1"});  // app:1 now names another image
  auto r = Resolve();
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->typed_confirmed);
  EXPECT_TRUE((*r)->names.empty());
}

TEST_F(Overlay2StoreTest, ImageConfigTamperedIsIntegrityError) {
  WriteFile(tree_.root() + "/image/overlay2/imagedb/content/sha256/" + image_.image_id.substr(7),
            image_.config + " ");
  EXPECT_NE(ErrorOf().find("content hashes to"), std::string::npos);
}

TEST_F(Overlay2StoreTest, MountIdMismatchIsInconsistent) {
  WriteFile(tree_.root() + "/image/overlay2/layerdb/mounts/" + container_.id + "/mount-id",
            testing::Hex64("another"));
  EXPECT_NE(ErrorOf().find("layerdb says the container's mount"), std::string::npos);
}

TEST_F(Overlay2StoreTest, ParentChainMismatchIsInconsistent) {
  WriteFile(tree_.root() + "/image/overlay2/layerdb/mounts/" + container_.id + "/parent",
            image_.chain_ids[0]);
  EXPECT_NE(ErrorOf().find("container layer's parent"), std::string::npos);
}

TEST_F(Overlay2StoreTest, LayerDiffMismatchIsInconsistent) {
  WriteFile(
      tree_.root() + "/image/overlay2/layerdb/sha256/" + image_.chain_ids[1].substr(7) + "/diff",
      "sha256:" + testing::Hex64("evil"));
  EXPECT_NE(ErrorOf().find("layerdb diff is"), std::string::npos);
}

TEST_F(Overlay2StoreTest, LowerdirsThatAreNotTheChainAreRefused) {
  auto other = tree_.AddImage({"x", "y"}, {});
  mounts_ = {tree_.MountFor(container_, other)};
  EXPECT_NE(ErrorOf().find("the image chain says"), std::string::npos);
}

TEST_F(Overlay2StoreTest, MissingLayerInMountIsRefused) {
  auto partial = image_;
  partial.links.pop_back();
  mounts_ = {tree_.MountFor(container_, partial)};
  EXPECT_NE(ErrorOf().find("lower layers"), std::string::npos);
}

TEST_F(Overlay2StoreTest, NothingMountedIsRefused) {
  mounts_.clear();
  EXPECT_NE(ErrorOf().find("nothing is mounted"), std::string::npos);
}

TEST_F(Overlay2StoreTest, NonDockerContainerIdIsRefused) {
  ContainerContext ctx{"not-hex", "/bundle", nullptr, container_.rootfs, &mounts_};
  auto r = DockerOverlay2Store().Resolve(ctx);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("not a Docker container id"), std::string::npos);
}

TEST_F(Overlay2StoreTest, SymlinkedStoreFileIsRefused) {
  std::string cfg = tree_.root() + "/containers/" + container_.id + "/config.v2.json";
  std::string elsewhere = tmp_ / "elsewhere.json";
  WriteFile(elsewhere, testing::ReadFile(cfg));
  unlink(cfg.c_str());
  ASSERT_EQ(symlink(elsewhere.c_str(), cfg.c_str()), 0);
  EXPECT_NE(ErrorOf().find("symlink"), std::string::npos);
}

TEST_F(Overlay2StoreTest, OversizedStoreFileIsRefused) {
  WriteFile(tree_.root() + "/image/overlay2/layerdb/mounts/" + container_.id + "/mount-id",
            std::string(5000, 'a'));
  EXPECT_NE(ErrorOf().find("exceeds the limit"), std::string::npos);
}

TEST_F(Overlay2StoreTest, UnmountedContainerSkipsMountCheckWithNote) {
  ContainerContext ctx{container_.id, "/bundle", nullptr, container_.rootfs, nullptr};
  auto r = DockerOverlay2Store().Resolve(ctx);
  ASSERT_TRUE(r.ok()) << r.error().What();
  bool noted = false;
  for (const auto& n : (*r)->notes) noted |= n.find("cross-check skipped") != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(SplitOverlay2Rootfs, RecognisesOnlyTheOverlay2Shape) {
  std::string id(64, 'a');
  auto s = SplitOverlay2Rootfs("/var/lib/docker/overlay2/" + id + "/merged");
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first, "/var/lib/docker");
  EXPECT_EQ(s->second, id);
  EXPECT_FALSE(SplitOverlay2Rootfs("/var/lib/docker/overlay2/" + id + "/diff"));
  EXPECT_FALSE(SplitOverlay2Rootfs("/var/lib/docker/overlay/" + id + "/merged"));
  EXPECT_FALSE(SplitOverlay2Rootfs("/var/lib/docker/overlay2/xyz/merged"));
}

// Issue 10: every tag repositories.json records for the image is one of its names, so
// `docker tag evil/tool:1 fine/tool:1` leaves evil/tool:1 for a deny rule to find.
TEST(Overlay2StoreNames, EveryTagOfTheImageIsANameAndDenyRulesSeeThem) {
  TempDir tmp;
  FakeDockerTree tree(tmp / "docker");
  auto image = tree.AddImage({"base", "tool"}, {"evil/tool:1", "fine/tool:1"});
  auto c = tree.AddContainer(image, "fine/tool:1");
  std::vector<MountEntry> mounts = {tree.MountFor(c, image)};
  ContainerContext ctx{c.id, "/bundle", nullptr, c.rootfs, &mounts};
  auto r = DockerOverlay2Store().Resolve(ctx);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names,
            (std::vector<std::string>{"docker.io/evil/tool:1", "docker.io/fine/tool:1"}));
  auto p = ParsePolicy(R"({"default":"allow","rules":[{"match":"evil/*","action":"deny"}]})");
  ASSERT_TRUE(p.ok());
  Verdict v = Evaluate(*p, **r, nullptr, RegistrationStore(tmp / "config"));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(RefusalMessage(v).find("also tagged evil/tool:1, which matches deny rule 1 'evil/*'"),
            std::string::npos)
      << RefusalMessage(v);
}

// Docker compares names case-sensitively: "EVIL.IO/x:1" and "evil.io/x:1" can name two
// images. Normalised they are one name, which both images keep.
TEST(Repositories, TwoSpellingsOfOneNameKeepBothImages) {
  std::string a = "sha256:" + std::string(64, 'a'), b = "sha256:" + std::string(64, 'b');
  auto tags = docker::ParseRepositories(R"({"Repositories":{"EVIL.IO/x":{"EVIL.IO/x:1":")" + a +
                                        R"("},"evil.io/x":{"evil.io/x:1":")" + b +
                                        R"(","evil.io/x:2":")" + a + R"("}}})");
  ASSERT_TRUE(tags.ok()) << tags.error().What();
  EXPECT_EQ(docker::NamesFor(*tags, a), (std::vector<std::string>{"evil.io/x:1", "evil.io/x:2"}));
  EXPECT_EQ(docker::NamesFor(*tags, b), std::vector<std::string>{"evil.io/x:1"});
  EXPECT_TRUE(docker::NamesImage(*tags, "evil.io/x:1", a));
  EXPECT_TRUE(docker::NamesImage(*tags, "evil.io/x:1", b));
  EXPECT_FALSE(docker::NamesImage(*tags, "evil.io/x:2", b));
}

}  // namespace
}  // namespace verified

namespace verified {
namespace {

// The resolver, not the checks, knows where dockerd keeps the container's own files.
TEST(Overlay2StoreFiles, ListsDockersOwnFilesAndTheContainerLayer) {
  testing::TempDir tmp;
  testing::FakeDockerTree tree(tmp / "docker");
  auto image = tree.AddImage({"base"}, {"app:1"});
  auto c = tree.AddContainer(image, "app:1");
  std::vector<MountEntry> mounts = {tree.MountFor(c, image)};
  ContainerContext ctx{c.id, "/bundle", nullptr, c.rootfs, &mounts};
  auto r = DockerOverlay2Store().Resolve(ctx);
  ASSERT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "not mine" : r.error().What());
  const EngineFiles& f = (*r)->engine_files;
  EXPECT_EQ(f.container_dirs, std::vector<std::string>{tree.root() + "/containers/" + c.id});
  EXPECT_EQ(f.volume_dirs, std::vector<std::string>{tree.root() + "/volumes"});
  EXPECT_TRUE(f.container_files.empty());
  EXPECT_EQ(f.container_layer, tree.root() + "/overlay2/" + c.mount_id + "/diff");
}

}  // namespace
}  // namespace verified
