// Faults of the Docker overlay2 store files and of the bundle: missing, truncated, inconsistent
// (parent loops, a 10,000-layer chain) and huge (1 GB, sparse) files, each tried against the
// real create decision on a tree it otherwise allows.
#include <fcntl.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "unit/faults/decide_fixture.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified::testing {
namespace {

constexpr const char* kDockerStoreArea = "docker overlay2 store";
constexpr const char* kBundleArea = "bundle";

void Truncate(const std::string& path) {
  std::string full = ReadFile(path);
  ASSERT_GT(full.size(), 1u) << path;
  WriteFile(path, full.substr(0, full.size() / 2));
}

// A sparse file of `bytes` (no disk used): what a reader without a size limit would choke on.
void MakeHuge(const std::string& path, off_t bytes) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ASSERT_GE(fd, 0) << path;
  ASSERT_EQ(write(fd, "{", 1), 1);
  ASSERT_EQ(ftruncate(fd, bytes), 0);
  close(fd);
}

constexpr off_t kOneGiB = off_t{1} << 30;

class FaultsDockerStore : public FaultDecideTest {
 protected:
  std::string ContainerConfig() const {
    return tree_.root() + "/containers/" + container_.id + "/config.v2.json";
  }
  std::string ImageConfig() const {
    return tree_.root() + "/image/overlay2/imagedb/content/sha256/" +
           std::string(DigestHex(image_.image_id));
  }
  std::string MountRecord(const std::string& file) const {
    return tree_.root() + "/image/overlay2/layerdb/mounts/" + container_.id + "/" + file;
  }
};

TEST_F(FaultsDockerStore, ContainerConfigMissing) {
  ASSERT_EQ(unlink(ContainerConfig().c_str()), 0);
  DecideAndRecord(kDockerStoreArea, "containers/<id>/config.v2.json missing");
}

TEST_F(FaultsDockerStore, ContainerConfigTruncated) {
  Truncate(ContainerConfig());
  DecideAndRecord(kDockerStoreArea, "containers/<id>/config.v2.json truncated to half");
}

TEST_F(FaultsDockerStore, ContainerConfigHuge) {
  MakeHuge(ContainerConfig(), kOneGiB);
  DecideAndRecord(kDockerStoreArea, "containers/<id>/config.v2.json of 1 GiB (sparse)");
}

TEST_F(FaultsDockerStore, ImageConfigMissing) {
  ASSERT_EQ(unlink(ImageConfig().c_str()), 0);
  DecideAndRecord(kDockerStoreArea, "imagedb config of the image missing");
}

TEST_F(FaultsDockerStore, ImageConfigTruncated) {
  Truncate(ImageConfig());
  DecideAndRecord(kDockerStoreArea, "imagedb config truncated to half");
}

TEST_F(FaultsDockerStore, ImageConfigHuge) {
  MakeHuge(ImageConfig(), kOneGiB);
  DecideAndRecord(kDockerStoreArea, "imagedb config of 1 GiB (sparse)");
}

TEST_F(FaultsDockerStore, CacheIdMissing) {
  ASSERT_EQ(unlink((LayerDir(1) + "/cache-id").c_str()), 0);
  DecideAndRecord(kDockerStoreArea, "layerdb cache-id of the top layer missing");
}

TEST_F(FaultsDockerStore, DiffTruncated) {
  Truncate(LayerDir(1) + "/diff");
  DecideAndRecord(kDockerStoreArea, "layerdb diff of the top layer truncated to half");
}

TEST_F(FaultsDockerStore, ParentLoopsToItself) {
  WriteFile(LayerDir(1) + "/parent", image_.chain_ids[1]);
  DecideAndRecord(kDockerStoreArea, "layerdb parent of the top layer names itself (a loop)");
}

TEST_F(FaultsDockerStore, ParentLoopsThroughTwo) {
  WriteFile(LayerDir(0) + "/parent", image_.chain_ids[1]);
  DecideAndRecord(kDockerStoreArea,
                  "layerdb parent of the bottom layer names the top one (a 2-cycle)");
}

TEST_F(FaultsDockerStore, ChainTenThousandDeep) {
  // An image whose config lists 10,000 layers, the container made from it.
  std::vector<std::string> diffs;
  for (int i = 0; i < 10000; ++i)
    diffs.push_back("sha256:" + Sha256Hex("deep" + std::to_string(i)));
  std::string config =
      R"({"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":)" +
      nlohmann::json(diffs).dump() + "}}";
  std::string id = Sha256Digest(config);
  WriteFile(tree_.root() + "/image/overlay2/imagedb/content/sha256/" + std::string(DigestHex(id)),
            config);
  std::string cfg = ReadFile(ContainerConfig());
  for (size_t at = cfg.find(image_.image_id); at != std::string::npos;
       at = cfg.find(image_.image_id, at)) {
    cfg.replace(at, image_.image_id.size(), id);
  }
  WriteFile(ContainerConfig(), cfg);
  DecideAndRecord(kDockerStoreArea, "image config with a 10,000-layer chain");
}

TEST_F(FaultsDockerStore, MountIdMissing) {
  ASSERT_EQ(unlink(MountRecord("mount-id").c_str()), 0);
  DecideAndRecord(kDockerStoreArea, "layerdb/mounts/<id>/mount-id missing");
}

TEST_F(FaultsDockerStore, MountParentTruncated) {
  Truncate(MountRecord("parent"));
  DecideAndRecord(kDockerStoreArea, "layerdb/mounts/<id>/parent truncated to half");
}

TEST_F(FaultsDockerStore, RepositoriesTruncated) {
  Truncate(tree_.root() + "/image/overlay2/repositories.json");
  DecideAndRecord(kDockerStoreArea, "repositories.json truncated to half");
}

TEST_F(FaultsDockerStore, LayerDbMissing) {
  std::filesystem::remove_all(tree_.root() + "/image/overlay2/layerdb");
  DecideAndRecord(kDockerStoreArea, "the whole layerdb directory missing");
}

using FaultsBundle = FaultDecideTest;

TEST_F(FaultsBundle, ConfigMissing) {
  ASSERT_EQ(unlink((req_.bundle_dir + "/config.json").c_str()), 0);
  DecideAndRecord(kBundleArea, "bundle config.json missing");
}

TEST_F(FaultsBundle, ConfigTruncated) {
  Truncate(req_.bundle_dir + "/config.json");
  DecideAndRecord(kBundleArea, "bundle config.json truncated to half");
}

TEST_F(FaultsBundle, ConfigHuge) {
  MakeHuge(req_.bundle_dir + "/config.json", kOneGiB);
  DecideAndRecord(kBundleArea, "bundle config.json of 1 GiB (sparse)");
}

TEST_F(FaultsBundle, RootfsNotMounted) {
  WriteFile(req_.mountinfo_path, "1 0 8:1 / / rw - ext4 /dev/vda rw\n");
  DecideAndRecord(kBundleArea, "root.path not a mount in the mount table");
}

}  // namespace
}  // namespace verified::testing
