// Docker's containerd image store (Docker 29's default). dockerd 20.10 on this machine cannot
// run that mode, so the store is built by FakeContainerd exactly as moby's
// daemon/containerd/image_snapshot.go and daemon/snapshotter/mount.go leave it.
#include "verifier/store/containerd/docker_containerd_store.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "fake_containerd.h"
#include "verifier/policy/evaluate.h"

namespace verified {
namespace {

using testing::FakeContainerd;
using testing::FakeCtdImage;

const std::string kCid(64, 'c');

class DockerContainerdStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = tmp_ / "docker";
    fake_ = std::make_unique<FakeContainerd>(data_ + "/containerd/daemon", "moby");
    app_ = fake_->AddImage({"a", "b"}, /*with_index=*/true);
    other_ = fake_->AddImage({"a", "c"});
    fake_->TagImage("docker.io/library/app:1", app_);
    fake_->TagImage("docker.io/library/other:1", other_);
    fake_->AddSnapshot(kCid + "-init", app_.chain_ids.back(), 3);
    fake_->AddSnapshot(kCid, kCid + "-init", 2);
    rootfs_ = data_ + "/rootfs/overlayfs/" + kCid;
    std::filesystem::create_directories(rootfs_);
    WriteConfig(app_.target_digest, "app:1");
  }
  void WriteConfig(const std::string& image, const std::string& typed,
                   const std::string& manifest = "") {
    nlohmann::json j = {
        {"ID", kCid}, {"Image", image}, {"Driver", "overlayfs"}, {"Config", {{"Image", typed}}}};
    if (!manifest.empty()) j["ImageManifest"] = {{"digest", manifest}};
    testing::WriteFile(data_ + "/containers/" + kCid + "/config.v2.json", j.dump());
  }
  Result<std::optional<ResolvedImage>> Resolve(const std::vector<MountEntry>* mounts = nullptr,
                                               const std::string& bundle = "") {
    fake_->Write();
    ContainerContext ctx;
    ctx.container_id = kCid;
    ctx.bundle_dir = bundle.empty() ? tmp_ / "exec/containerd" : bundle;
    ctx.spec = &spec_;
    char buf[PATH_MAX];
    ctx.rootfs = realpath(rootfs_.c_str(), buf);
    ctx.mounts = mounts;
    return DockerContainerdStore().Resolve(ctx);
  }

  testing::TempDir tmp_;
  std::string data_, rootfs_;
  std::unique_ptr<FakeContainerd> fake_;
  FakeCtdImage app_, other_;
  Spec spec_;
};

TEST_F(DockerContainerdStoreTest, ResolvesThroughTheInitLayer) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->engine, "docker-containerd");
  EXPECT_EQ((*r)->image_id, app_.config_digest);
  EXPECT_EQ((*r)->chain_ids, app_.chain_ids);
  EXPECT_EQ((*r)->typed_reference, "app:1");
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names, std::vector<std::string>{"docker.io/library/app:1"});
  ASSERT_EQ((*r)->layers.size(), 2u);
  EXPECT_EQ((*r)->layers[0].diff_dir, fake_->SnapDir(fake_->Id(app_.chain_ids[0])));
  // config.v2.json names the index: it and the manifest selected from it, as blobs of
  // dockerd's containerd content store.
  ASSERT_EQ((*r)->manifest_files.size(), 2u);
  EXPECT_EQ((*r)->manifest_files[0].digest, app_.target_digest);
  EXPECT_EQ((*r)->manifest_files[1].digest, app_.manifest_digest);
  EXPECT_EQ((*r)->manifest_files[1].path,
            data_ + "/containerd/daemon/io.containerd.content.v1.content/blobs/sha256/" +
                app_.manifest_digest.substr(7));
  for (const auto& f : (*r)->manifest_files) EXPECT_TRUE(ReadManifestFile(f).ok()) << f.path;
}

TEST_F(DockerContainerdStoreTest, UsesTheBundleWorkLinkForContainerdsRoot) {
  // Docker 29 with the system containerd: the root is not under the data root.
  std::string bundle = tmp_ / "state/io.containerd.runtime.v2.task/moby/" + kCid;
  std::filesystem::create_directories(bundle);
  std::string work = data_ + "/containerd/daemon/io.containerd.runtime.v2.task/moby/" + kCid;
  std::filesystem::create_directories(work);
  std::filesystem::create_symlink(work, bundle + "/work");
  auto r = Resolve(nullptr, bundle);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ((*r)->store_root, data_ + "/containerd/daemon");
}

TEST_F(DockerContainerdStoreTest, RetaggedNameIsNotConfirmed) {
  fake_->TagImage("docker.io/library/app:1", other_);  // `docker build -t app:1` again
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_FALSE((*r)->typed_confirmed);
  EXPECT_TRUE((*r)->names.empty());
  EXPECT_EQ((*r)->image_id, app_.config_digest);
}

TEST_F(DockerContainerdStoreTest, ImageWhoseChainIsNotTheSnapshotsIsRefused) {
  WriteConfig(other_.target_digest, "other:1");
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kInconsistent);
  EXPECT_NE(r.error().What().find("layer chain is the container's snapshot chain"),
            std::string::npos);
}

TEST_F(DockerContainerdStoreTest, RecordedManifestMustBeThePlatformManifest) {
  WriteConfig(app_.target_digest, "app:1", other_.manifest_digest);
  EXPECT_FALSE(Resolve().ok());
  WriteConfig(app_.target_digest, "app:1", app_.manifest_digest);
  EXPECT_TRUE(Resolve().ok());
}

TEST_F(DockerContainerdStoreTest, TamperedBlobIsRefused) {
  testing::WriteFile(fake_->root() + "/io.containerd.content.v1.content/blobs/sha256/" +
                         app_.config_digest.substr(7),
                     "{\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}");
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
}

TEST_F(DockerContainerdStoreTest, ChecksTheMountIncludingInit) {
  struct stat st;
  stat(rootfs_.c_str(), &st);
  auto overlay = [&](std::vector<std::string> lowers) {
    MountEntry m;
    char buf[PATH_MAX];
    m.mount_point = realpath(rootfs_.c_str(), buf);
    m.dev = st.st_dev;
    m.fs_type = "overlay";
    std::string l;
    for (const auto& x : lowers) l += (l.empty() ? "" : ":") + x;
    m.super_options =
        "rw,lowerdir=" + l + ",upperdir=" + fake_->SnapDir(fake_->Id(kCid)) + ",workdir=/w";
    return std::vector<MountEntry>{m};
  };
  std::string init = fake_->SnapDir(fake_->Id(kCid + "-init"));
  std::string l1 = fake_->SnapDir(fake_->Id(app_.chain_ids[1]));
  std::string l0 = fake_->SnapDir(fake_->Id(app_.chain_ids[0]));
  auto good = overlay({init, l1, l0});
  auto r = Resolve(&good);
  EXPECT_TRUE(r.ok()) << r.error().What();
  auto no_init = overlay({l1, l0});
  EXPECT_FALSE(Resolve(&no_init).ok());
}

TEST_F(DockerContainerdStoreTest, NotMineForOtherShapes) {
  EXPECT_FALSE(SplitDockerSnapshotRootfs("/var/lib/docker/overlay2/" + kCid + "/merged"));
  EXPECT_FALSE(SplitDockerSnapshotRootfs("/var/lib/docker/rootfs/overlayfs/short"));
  auto s = SplitDockerSnapshotRootfs("/var/lib/docker/rootfs/overlayfs/" + kCid);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->first, "/var/lib/docker");
  EXPECT_EQ(s->second, kCid);
}

// Issue 10: `docker tag evil/tool:1 app:1` in the containerd image store adds a record with
// the same target; both are names of the image.
TEST_F(DockerContainerdStoreTest, EveryRecordTargetingTheImageIsAName) {
  fake_->TagImage("docker.io/evil/tool:1", app_);
  fake_->Tag("moby-dangling@" + app_.target_digest, app_.target_digest);
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names,
            (std::vector<std::string>{"docker.io/evil/tool:1", "docker.io/library/app:1"}));
  auto p = ParsePolicy(
      R"({"rules":[{"match":"app","action":"allow"},{"match":"evil/*","action":"deny"}]})");
  ASSERT_TRUE(p.ok());
  Verdict v = Evaluate(*p, **r, nullptr, RegistrationStore(tmp_ / "config"));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_EQ(v.rule, "rule 2 'evil/*'");
}

}  // namespace
}  // namespace verified
