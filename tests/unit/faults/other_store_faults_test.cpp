// Faults of the containerd and containers/storage store files, tried on the store's resolver
// (verifier/store/stores.h): an error there is what the create decision turns into a deny of
// kind error (the docker overlay2 rows show the whole decision doing so).
#include <gtest/gtest.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <memory>

#include "unit/faults/fault_recorder.h"
#include "unit/support/temp_dir.h"
#include "unit/verifier/store/containerd/fake_containerd.h"
#include "unit/verifier/store/cstorage/fake_graphroot.h"
#include "verifier/store/containerd/containerd_store.h"
#include "verifier/store/cstorage/cstorage_store.h"

namespace verified::testing {
namespace {

// A resolver's answer as a row: an error is the expected outcome; an image proven from damaged
// files, or the files not recognised at all, would be a guard failing.
void RecordResolve(const char* area, const std::string& fault,
                   const Result<std::optional<ResolvedImage>>& r, const std::string& tmp) {
  if (r.ok()) {
    ADD_FAILURE() << fault << ": " << (r->has_value() ? "image proven" : "not recognised");
    RecordFault(area, fault, FaultOutcome::kAllowed,
                r->has_value() ? "image proven" : "not recognised", tmp);
    return;
  }
  RecordFault(area, fault, FaultOutcome::kError, r.error().What(), tmp);
}

constexpr const char* kCtdArea = "containerd store";

class FaultsContainerd : public ::testing::Test {
 protected:
  FaultsContainerd() {
    fake_ = std::make_unique<FakeContainerd>(tmp_ / "root", "default");
    app_ = fake_->AddImage({"a", "b"});
    fake_->TagImage("docker.io/library/app:1", app_);
    bundle_ = tmp_ / "state/io.containerd.runtime.v2.task/default/c1";
    std::filesystem::create_directories(bundle_ + "/rootfs");
    std::filesystem::create_directories(tmp_ / "root/io.containerd.runtime.v2.task/default/c1");
    std::filesystem::create_symlink(tmp_ / "root/io.containerd.runtime.v2.task/default/c1",
                                    bundle_ + "/work");
    fake_->AddSnapshot("c1", app_.chain_ids.back(), 2);
    fake_->AddContainer("c1", "docker.io/library/app:1", "c1", {});
    fake_->Write();
    auto healthy = Resolve();
    EXPECT_TRUE(healthy.ok() && healthy->has_value()) << "the healthy root must resolve";
  }
  Result<std::optional<ResolvedImage>> Resolve() {
    ctx_.container_id = "c1";
    ctx_.bundle_dir = bundle_;
    ctx_.spec = &spec_;
    char buf[PATH_MAX];
    ctx_.rootfs = realpath((bundle_ + "/rootfs").c_str(), buf);
    return ContainerdStore().Resolve(ctx_);
  }
  std::string MetaDb() const { return tmp_ / "root/io.containerd.metadata.v1.bolt/meta.db"; }
  std::string SnapDb() const {
    return tmp_ / "root/io.containerd.snapshotter.v1.overlayfs/metadata.db";
  }
  void Truncate(const std::string& path, size_t keep) {
    std::string full = ReadFile(path);
    ASSERT_GT(full.size(), keep) << path;
    WriteFile(path, full.substr(0, keep));
  }

  TempDir tmp_;
  std::unique_ptr<FakeContainerd> fake_;
  FakeCtdImage app_;
  std::string bundle_;
  Spec spec_;
  ContainerContext ctx_;
};

TEST_F(FaultsContainerd, MetaDbMissing) {
  ASSERT_EQ(unlink(MetaDb().c_str()), 0);
  RecordResolve(kCtdArea, "meta.db missing", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, MetaDbPagesPastTheEnd) {
  // Both meta pages kept, every other page cut: the root bucket's page lies past the end.
  Truncate(MetaDb(), 2 * 4096);
  RecordResolve(kCtdArea, "meta.db cut after its two meta pages (root page past the end)",
                Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, MetaDbTruncatedMidPage) {
  Truncate(MetaDb(), ReadFile(MetaDb()).size() - 100);
  RecordResolve(kCtdArea, "meta.db truncated 100 bytes short", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, MetaDbEmpty) {
  WriteFile(MetaDb(), "");
  RecordResolve(kCtdArea, "meta.db empty (0 bytes)", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, SnapshotDbPagesPastTheEnd) {
  Truncate(SnapDb(), 2 * 4096);
  RecordResolve(kCtdArea, "overlayfs metadata.db cut after its meta pages", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, SnapshotDbMissing) {
  ASSERT_EQ(unlink(SnapDb().c_str()), 0);
  RecordResolve(kCtdArea, "overlayfs metadata.db missing", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, ConfigBlobMissing) {
  std::string blob =
      tmp_ / ("root/io.containerd.content.v1.content/blobs/sha256/" + app_.config_digest.substr(7));
  ASSERT_EQ(unlink(blob.c_str()), 0);
  RecordResolve(kCtdArea, "image config blob missing", Resolve(), tmp_.path());
}

TEST_F(FaultsContainerd, ConfigBlobTruncated) {
  std::string blob =
      tmp_ / ("root/io.containerd.content.v1.content/blobs/sha256/" + app_.config_digest.substr(7));
  Truncate(blob, ReadFile(blob).size() / 2);
  RecordResolve(kCtdArea, "image config blob truncated to half", Resolve(), tmp_.path());
}

constexpr const char* kCsArea = "containers/storage";

class FaultsCStorage : public ::testing::Test {
 protected:
  FaultsCStorage() {
    image_ = root_.AddImage("app", 3, {"localhost/app:1"});
    ctr_ = root_.AddContainer(image_, "localhost/app:1");
    root_.Flush();
    mounts_ = root_.Mounts(ctr_, image_);
    auto healthy = Resolve();
    EXPECT_TRUE(healthy.ok() && healthy->has_value()) << "the healthy root must resolve";
  }
  Result<std::optional<ResolvedImage>> Resolve() {
    ContainerContext ctx{ctr_.id, "/bundle", nullptr, ctr_.rootfs, &mounts_};
    return ContainersStorageStore().Resolve(ctx);
  }
  void Truncate(const std::string& rel) {
    std::string full = ReadFile(root_.path() + "/" + rel);
    ASSERT_GT(full.size(), 1u) << rel;
    root_.Write(rel, full.substr(0, full.size() / 2));
  }
  void Record(const std::string& fault) { RecordResolve(kCsArea, fault, Resolve(), root_.path()); }

  FakeGraphRoot root_;
  FakeCsImage image_;
  FakeCsContainer ctr_;
  std::vector<MountEntry> mounts_;
};

TEST_F(FaultsCStorage, LayersJsonTruncated) {
  Truncate("overlay-layers/layers.json");
  Record("overlay-layers/layers.json truncated to half");
}

TEST_F(FaultsCStorage, ImagesJsonTruncated) {
  Truncate("overlay-images/images.json");
  Record("overlay-images/images.json truncated to half");
}

TEST_F(FaultsCStorage, ContainersJsonMissing) {
  ASSERT_EQ(unlink((root_.path() + "/overlay-containers/containers.json").c_str()), 0);
  Record("overlay-containers/containers.json missing");
}

TEST_F(FaultsCStorage, LayerParentLoop) {
  root_.layers[0]["parent"] = image_.layer_ids[2];  // bottom -> top -> ... -> bottom
  root_.Flush();
  Record("layers.json: the bottom layer's parent is the top one (a loop)");
}

TEST_F(FaultsCStorage, LayerParentSelf) {
  root_.layers[1]["parent"] = image_.layer_ids[1];
  root_.Flush();
  Record("layers.json: a layer is its own parent");
}

TEST_F(FaultsCStorage, TenThousandDeepChain) {
  // 10,000 layers chained under the image's bottom layer.
  std::string parent;
  for (int i = 0; i < 10000; ++i) {
    std::string id = Sha256Hex("deep" + std::to_string(i));
    nlohmann::json l = {{"id", id}};
    if (!parent.empty()) l["parent"] = parent;
    root_.layers.push_back(l);
    parent = id;
  }
  root_.layers[0]["parent"] = parent;
  root_.Flush();
  Record("layers.json: a 10,000-deep parent chain under the image");
}

}  // namespace
}  // namespace verified::testing
