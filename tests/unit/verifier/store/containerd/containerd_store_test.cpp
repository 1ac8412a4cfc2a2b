#include "verifier/store/containerd/containerd_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "fake_containerd.h"
#include "verifier/policy/evaluate.h"
#include "verifier/store/stores.h"

namespace verified {
namespace {

using testing::FakeContainerd;
using testing::FakeCtdImage;

// A containerd root with images app:1 (layers a, b) and other:1 (a, c), and a task bundle for
// container c1 made from app:1, as `ctr run` / CRI leave them.
class ContainerdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fake_ = std::make_unique<FakeContainerd>(tmp_ / "root", "default");
    app_ = fake_->AddImage({"a", "b"}, /*with_index=*/true);
    other_ = fake_->AddImage({"a", "c"});
    fake_->TagImage("docker.io/library/app:1", app_);
    fake_->TagImage("docker.io/library/other:1", other_);
    bundle_ = tmp_ / "state/io.containerd.runtime.v2.task/default/c1";
    std::filesystem::create_directories(bundle_ + "/rootfs");
    std::filesystem::create_directories(tmp_ / "root/io.containerd.runtime.v2.task/default/c1");
    std::filesystem::create_symlink(tmp_ / "root/io.containerd.runtime.v2.task/default/c1",
                                    bundle_ + "/work");
  }
  void AddC1(const std::string& image, std::map<std::string, std::string> labels = {}) {
    fake_->AddSnapshot("c1", app_.chain_ids.back(), 2);
    fake_->AddContainer("c1", image, "c1", std::move(labels));
  }
  Result<std::optional<ResolvedImage>> Resolve(const std::vector<MountEntry>* mounts = nullptr) {
    fake_->Write();
    ctx_.container_id = "c1";
    ctx_.bundle_dir = bundle_;
    ctx_.spec = &spec_;
    char buf[PATH_MAX];
    ctx_.rootfs = realpath((bundle_ + "/rootfs").c_str(), buf);
    ctx_.mounts = mounts;
    return ContainerdStore().Resolve(ctx_);
  }
  MountEntry OverlayAt(const std::string& lower, const std::string& upper) {
    struct stat st;
    stat(ctx_.rootfs.c_str(), &st);
    MountEntry m;
    m.mount_point = ctx_.rootfs;
    m.dev = st.st_dev;
    m.fs_type = "overlay";
    m.super_options = "rw,lowerdir=" + lower + ",upperdir=" + upper + ",workdir=/w";
    return m;
  }

  testing::TempDir tmp_;
  std::unique_ptr<FakeContainerd> fake_;
  FakeCtdImage app_, other_;
  std::string bundle_;
  Spec spec_;
  ContainerContext ctx_;
};

TEST_F(ContainerdStoreTest, ResolvesTheImageFromTheSnapshotChain) {
  AddC1("docker.io/library/app:1");
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  const ResolvedImage& img = **r;
  EXPECT_EQ(img.engine, "containerd");
  EXPECT_EQ(img.store_root, tmp_ / "root");
  EXPECT_EQ(img.image_id, app_.config_digest);
  EXPECT_EQ(img.chain_ids, app_.chain_ids);
  EXPECT_TRUE(img.typed_confirmed);
  EXPECT_EQ(img.typed_reference, "docker.io/library/app:1");
  EXPECT_FALSE(img.pod_sandbox);
  ASSERT_EQ(img.layers.size(), 2u);
  EXPECT_EQ(img.layers[1].diff_dir, fake_->SnapDir(fake_->Id(app_.chain_ids[1])));
  EXPECT_EQ(img.layers[0].diff_id, app_.diff_ids[0]);
  EXPECT_EQ(img.layers[0].tar_split, "");
  ASSERT_FALSE(img.manifest_files.empty());
  EXPECT_EQ(img.manifest_files.back().digest, app_.manifest_digest);
  EXPECT_EQ(img.manifest_files.front().digest, app_.target_digest);
  for (const auto& f : img.manifest_files) EXPECT_TRUE(ReadManifestFile(f).ok()) << f.path;
}

TEST_F(ContainerdStoreTest, ALyingAnnotationIsNotUsedAsTheName) {
  AddC1("");  // CRI: the container record has no image name
  spec_.annotations[containerd::kAnnotationImageName] = "other:1";
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->typed_reference, "");
  EXPECT_EQ((*r)->image_id, app_.config_digest);
  EXPECT_EQ((*r)->names, std::vector<std::string>{"docker.io/library/app:1"});
}

TEST_F(ContainerdStoreTest, ALyingAnnotationFallsBackToTheRecordName) {
  AddC1("docker.io/library/app:1");
  spec_.annotations[containerd::kAnnotationImageName] = "docker.io/library/other:1";
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->typed_reference, "docker.io/library/app:1");
}

TEST_F(ContainerdStoreTest, ATruthfulAnnotationIsConfirmed) {
  AddC1("");
  spec_.annotations[containerd::kAnnotationImageName] = "app:1";
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->typed_reference, "docker.io/library/app:1");
}

TEST_F(ContainerdStoreTest, AnImageIdAnnotationIsNotAName) {
  AddC1("");
  spec_.annotations[containerd::kAnnotationImageName] = app_.config_digest;
  fake_->Tag(app_.config_digest, app_.target_digest);  // CRI also records the image by ID
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names, std::vector<std::string>{"docker.io/library/app:1"});
}

// The tag moved to another image after the container was created: the name no longer
// confirms, and nothing in storage has the container's chain any more.
TEST_F(ContainerdStoreTest, RetaggedImageWithoutTheChainIsRefused) {
  AddC1("docker.io/library/app:1");
  fake_->TagImage("docker.io/library/app:1", other_);
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
  EXPECT_NE(r.error().What().find("no image in containerd namespace default has this "
                                  "container's layer chain"),
            std::string::npos)
      << r.error().What();
}

TEST_F(ContainerdStoreTest, PodSandboxNeedsAnnotationAndLabel) {
  AddC1("", {{containerd::kLabelKind, "sandbox"}});
  spec_.annotations[containerd::kAnnotationContainerType] = "sandbox";
  spec_.annotations[containerd::kAnnotationSandboxImageName] = "app:1";
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->pod_sandbox);
  EXPECT_TRUE((*r)->typed_confirmed);
}

TEST_F(ContainerdStoreTest, SandboxAnnotationWithoutTheLabelIsRefused) {
  AddC1("docker.io/library/app:1");
  spec_.annotations[containerd::kAnnotationContainerType] = "sandbox";
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInconsistent);
}

TEST_F(ContainerdStoreTest, DatabasesDisagreeingAboutAParentIsRefused) {
  AddC1("docker.io/library/app:1");
  // The snapshotter says c1 sits on other's top layer; meta.db says app's.
  fake_->snapshot_tree()
      .Path({"v1", "snapshots", "default/" + std::to_string(fake_->Id("c1") + 100) + "/c1"})
      .Put("parent", "default/" + std::to_string(fake_->Id(other_.chain_ids[1]) + 100) + "/" +
                         other_.chain_ids[1]);
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInconsistent) << r.error().What();
}

TEST_F(ContainerdStoreTest, ChecksTheLiveOverlayMount) {
  AddC1("docker.io/library/app:1");
  std::string up = fake_->SnapDir(fake_->Id("c1"));
  std::string l1 = fake_->SnapDir(fake_->Id(app_.chain_ids[1]));
  std::string l0 = fake_->SnapDir(fake_->Id(app_.chain_ids[0]));
  ASSERT_TRUE(Resolve().ok());  // fills ctx_.rootfs
  std::vector<MountEntry> good{OverlayAt(l1 + ":" + l0, up)};
  auto r = Resolve(&good);
  ASSERT_TRUE(r.ok()) << r.error().What();
  // containerd's mount helper writes long lowerdir lists relative to their common directory.
  std::string snaps = tmp_ / "root/io.containerd.snapshotter.v1.overlayfs/snapshots/";
  std::vector<MountEntry> relative{
      OverlayAt(l1.substr(snaps.size()) + ":" + l0.substr(snaps.size()), up)};
  EXPECT_TRUE(Resolve(&relative).ok());
  std::vector<MountEntry> swapped{OverlayAt(l0 + ":" + l1, up)};
  auto bad = Resolve(&swapped);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().What().find("overlay lower layer 0"), std::string::npos);
  std::string o1 = fake_->SnapDir(fake_->Id(other_.chain_ids[1]));
  std::vector<MountEntry> other{OverlayAt(o1 + ":" + l0, up)};
  EXPECT_FALSE(Resolve(&other).ok());
  std::vector<MountEntry> short_list{OverlayAt(l1, up)};
  EXPECT_FALSE(Resolve(&short_list).ok());
  std::vector<MountEntry> wrong_upper{OverlayAt(l1 + ":" + l0, l1)};
  EXPECT_FALSE(Resolve(&wrong_upper).ok());
  std::vector<MountEntry> none;
  EXPECT_FALSE(Resolve(&none).ok());
}

TEST_F(ContainerdStoreTest, NotMineOutsideTaskBundles) {
  AddC1("docker.io/library/app:1");
  fake_->Write();
  ContainerContext ctx;
  ctx.container_id = "c1";
  ctx.bundle_dir = tmp_ / "elsewhere/c1";
  ctx.rootfs = tmp_ / "elsewhere/c1/rootfs";
  auto r = ContainerdStore().Resolve(ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  // A task bundle whose root.path is not its rootfs (Docker mounts elsewhere).
  ctx.bundle_dir = bundle_;
  ctx.rootfs = tmp_ / "root";
  r = ContainerdStore().Resolve(ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
}

TEST_F(ContainerdStoreTest, MissingWorkLinkOrRecordIsAnError) {
  AddC1("docker.io/library/app:1");
  fake_->meta_tree().Path({"v1", "default", "containers"}).items.erase("c1");
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("containerd has no container 'c1'"), std::string::npos);
  std::filesystem::remove(bundle_ + "/work");
  r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("work link"), std::string::npos) << r.error().What();
}

TEST(ContainerdSandbox, AnnotationAndLabelMustAgree) {
  EXPECT_TRUE(*containerd::IsPodSandbox("sandbox", "sandbox"));
  EXPECT_FALSE(*containerd::IsPodSandbox("container", "container"));
  EXPECT_FALSE(*containerd::IsPodSandbox("", ""));
  EXPECT_FALSE(containerd::IsPodSandbox("sandbox", "").ok());
  EXPECT_FALSE(containerd::IsPodSandbox("", "sandbox").ok());
  EXPECT_FALSE(containerd::IsPodSandbox("container", "sandbox").ok());
}

// Issue 10: a confirmed name does not hide the image's other tags (`ctr images tag` copies
// the record's target), so a deny rule on any of them refuses the container.
TEST_F(ContainerdStoreTest, ConfirmedNameKeepsEveryOtherTagOfTheImage) {
  fake_->TagImage("docker.io/evil/tool:1", app_);
  fake_->Tag("docker.io/evil/tool@" + app_.manifest_digest, app_.manifest_digest);
  AddC1("docker.io/library/app:1");
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names, (std::vector<std::string>{"docker.io/evil/tool:1",
                                                   "docker.io/evil/tool@" + app_.manifest_digest,
                                                   "docker.io/library/app:1"}));
  auto p = ParsePolicy(R"({"default":"allow","rules":[{"match":"evil/*","action":"deny"}]})");
  ASSERT_TRUE(p.ok());
  Verdict v = Evaluate(*p, **r, nullptr, RegistrationStore(tmp_ / "config"));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("also tagged evil/tool:1"), std::string::npos) << v.reason;
}

TEST_F(ContainerdStoreTest, UnconfirmedNamesIncludeEveryRecordOfTheConfig) {
  fake_->TagImage("docker.io/evil/tool:1", app_);
  AddC1("");
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names,
            (std::vector<std::string>{"docker.io/evil/tool:1", "docker.io/library/app:1"}));
}

}  // namespace
}  // namespace verified
