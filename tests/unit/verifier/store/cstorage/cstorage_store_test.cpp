#include "verifier/store/cstorage/cstorage_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "fake_graphroot.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/policy/evaluate.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified {
namespace {

using testing::FakeCsContainer;
using testing::FakeCsImage;
using testing::FakeGraphRoot;

class CStorageStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    image_ = root_.AddImage("app", 3, {"localhost/app:1"});
    ctr_ = root_.AddContainer(image_, "localhost/app:1");
    root_.Flush();
    mounts_ = root_.Mounts(ctr_, image_);
  }

  Result<std::optional<ResolvedImage>> Resolve(const Spec* spec = nullptr,
                                               const std::string& id = "") {
    ContainerContext ctx{id.empty() ? ctr_.id : id, "/bundle", spec, ctr_.rootfs, &mounts_};
    return ContainersStorageStore().Resolve(ctx);
  }

  // Resolution must fail, with `needle` in the message.
  void ExpectError(const std::string& needle, const Spec* spec = nullptr) {
    auto r = Resolve(spec);
    ASSERT_FALSE(r.ok()) << "resolved although " << needle;
    EXPECT_NE(r.error().What().find(needle), std::string::npos) << r.error().What();
  }

  FakeGraphRoot root_;
  FakeCsImage image_;
  FakeCsContainer ctr_;
  std::vector<MountEntry> mounts_;
};

TEST_F(CStorageStoreTest, ResolvesImageFromStorageAndMount) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  const ResolvedImage& img = **r;
  EXPECT_EQ(img.engine, "containers-storage-overlay");
  EXPECT_EQ(img.store_root, root_.path());
  EXPECT_EQ(img.image_id, "sha256:" + image_.id);
  EXPECT_EQ(img.diff_ids, image_.diff_ids);
  EXPECT_EQ(img.chain_ids, ChainIds(image_.diff_ids));
  ASSERT_EQ(img.layers.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(img.layers[i].layer_id, image_.layer_ids[i]);
    EXPECT_NE(img.layers[i].layer_id, DigestHex(img.chain_ids[i]));  // ids are not chainIDs
    EXPECT_EQ(img.layers[i].diff_dir, root_.path() + "/overlay/" + image_.layer_ids[i] + "/diff");
    EXPECT_EQ(img.layers[i].tar_split,
              root_.path() + "/overlay-layers/" + image_.layer_ids[i] + ".tar-split.gz");
    EXPECT_EQ(img.layers[i].chain_id, img.chain_ids[i]);
  }
  EXPECT_EQ(img.names, std::vector<std::string>{"localhost/app:1"});
  EXPECT_EQ(img.typed_reference, "localhost/app:1");
  EXPECT_TRUE(img.typed_confirmed);
  EXPECT_EQ(img.config["config"]["Labels"]["seed"], "app");
}

TEST_F(CStorageStoreTest, RelativeLowerdirsAreUnderstood) {
  mounts_ = root_.Mounts(ctr_, image_, /*relative=*/true);
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE(r->has_value());
}

TEST_F(CStorageStoreTest, NotMineForOtherShapes) {
  ContainerContext ctx{ctr_.id, "/b", nullptr, "/var/lib/docker/overlay2/" + image_.id + "/merged",
                       &mounts_};
  auto r = ContainersStorageStore().Resolve(ctx);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  std::filesystem::remove_all(root_.path() + "/overlay-layers");
  auto r2 = Resolve();
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->has_value());
}

TEST_F(CStorageStoreTest, SplitRootfs) {
  auto s = SplitStorageRootfs("/var/lib/containers/storage/overlay/" + image_.id + "/merged");
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->first, "/var/lib/containers/storage");
  EXPECT_EQ(s->second, image_.id);
  EXPECT_FALSE(SplitStorageRootfs("/x/overlay/abc/merged"));
  EXPECT_FALSE(SplitStorageRootfs("/x/overlay/" + image_.id + "/diff"));
  EXPECT_FALSE(SplitStorageRootfs("/overlay/" + image_.id + "/merged"));
}

TEST_F(CStorageStoreTest, ContainerIdMustBeTheOneUsingTheLayer) {
  auto r = Resolve(nullptr, std::string(64, 'a'));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("not of container"), std::string::npos) << r.error().What();
}

TEST_F(CStorageStoreTest, TamperedConfigIsAnIntegrityError) {
  root_.Write(
      "overlay-images/" + image_.id + "/" + cstorage::BigDataFileName("sha256:" + image_.id),
      R"({"rootfs":{"type":"layers","diff_ids":[]}})");
  auto r = Resolve();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
}

TEST_F(CStorageStoreTest, DiffDigestMustMatchConfig) {
  root_.layers[1]["diff-digest"] = Sha256Digest("other");
  root_.Flush();
  ExpectError("diff-digest");
}

TEST_F(CStorageStoreTest, ChainLengthMustMatchConfig) {
  root_.layers[1].erase("parent");  // the chain now stops after two layers
  root_.Flush();
  ExpectError("storage chains 2 layers");
}

TEST_F(CStorageStoreTest, ContainerLayerParentMustBeImageTop) {
  root_.layers.back()["parent"] = image_.layer_ids[1];
  root_.Flush();
  ExpectError("has top layer");
}

TEST_F(CStorageStoreTest, IncompleteLayerFailsClosed) {
  root_.layers[0]["flags"] = {{"incomplete", true}};
  root_.Flush();
  ExpectError("incomplete");
}

TEST_F(CStorageStoreTest, MissingImageRecordFailsClosed) {
  root_.images = nlohmann::json::array();
  root_.Flush();
  ExpectError("images.json lacks");
}

TEST_F(CStorageStoreTest, MissingContainerRecordFailsClosed) {
  root_.containers = nlohmann::json::array();
  root_.Flush();
  ExpectError("no container in containers.json uses layer");
}

TEST_F(CStorageStoreTest, MalformedRecordsFailClosed) {
  root_.Write("overlay-layers/layers.json", "[{\"id\":");
  ExpectError("malformed");
  root_.Flush();
  root_.Write("overlay-containers/containers.json", "{}");
  ExpectError("not a JSON list");
}

TEST_F(CStorageStoreTest, TwoContainersClaimingOneLayerFailClosed) {
  auto twin = root_.containers[0];
  twin["id"] = std::string(64, 'c');
  root_.containers.push_back(twin);
  root_.Flush();
  ExpectError("several containers claim layer");
}

TEST_F(CStorageStoreTest, VolatileRecordsAreRead) {
  root_.Write("overlay-containers/volatile-containers.json", root_.containers.dump());
  root_.Write("overlay-containers/containers.json", "[]");
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  // The same id in both files is an inconsistency.
  root_.Flush();
  ExpectError("listed in two record files");
}

TEST_F(CStorageStoreTest, MountMustBeTheChain) {
  auto swapped = image_;
  std::swap(swapped.links[0], swapped.links[1]);
  mounts_ = root_.Mounts(ctr_, swapped);
  ExpectError("overlay lower layer");
  auto shorter = image_;
  shorter.links.pop_back();
  mounts_ = root_.Mounts(ctr_, shorter);
  ExpectError("lower layers, the image chain needs 3");
}

TEST_F(CStorageStoreTest, MountUpperdirMustBeContainerLayer) {
  mounts_ = root_.Mounts(ctr_, image_);
  auto& opts = mounts_[0].super_options;
  opts.replace(opts.find("upperdir=") + 9 + root_.path().size() + 9, 64, image_.layer_ids[0]);
  ExpectError("upperdir");
}

TEST_F(CStorageStoreTest, LinkPointingElsewhereIsRefused) {
  std::string link = root_.path() + "/overlay/l/" + image_.links[2];
  std::filesystem::remove(link);
  std::filesystem::create_symlink("../" + image_.layer_ids[0] + "/diff", link);
  ExpectError("overlay lower layer 0");
  std::filesystem::remove(link);
  std::filesystem::create_symlink("/etc", link);
  ExpectError("points at '/etc'");
}

TEST_F(CStorageStoreTest, LowerdirOutsideGraphRootIsRefused) {
  auto& opts = mounts_[0].super_options;
  size_t start = opts.find("lowerdir=") + 9;
  opts.replace(start, opts.find(':', start) - start, "/tmp/evil");
  ExpectError("outside");
}

TEST_F(CStorageStoreTest, NothingMountedFailsClosed) {
  mounts_.clear();
  ExpectError("nothing is mounted");
}

TEST_F(CStorageStoreTest, FuseOverlayIsUnsupported) {
  mounts_[0].fs_type = "fuse.fuse-overlayfs";
  ExpectError("fuse-overlayfs");
}

TEST_F(CStorageStoreTest, UnmountedRootfsSkipsMountCheckAndSaysSo) {
  ContainerContext ctx{ctr_.id, "/bundle", nullptr, ctr_.rootfs, nullptr};
  auto r = ContainersStorageStore().Resolve(ctx);
  ASSERT_TRUE(r.ok()) << r.error().What();
  const auto& notes = (*r)->notes;
  EXPECT_NE(std::find(notes.begin(), notes.end(),
                      "rootfs not mounted: overlay lowerdir cross-check skipped"),
            notes.end());
}

TEST_F(CStorageStoreTest, ImageWithoutLayers) {
  FakeCsImage empty = root_.AddImage("empty", 0, {"localhost/empty:1"});
  FakeCsContainer c = root_.AddContainer(empty, "localhost/empty:1");
  root_.Flush();
  auto mounts = root_.Mounts(c, empty);
  ContainerContext ctx{c.id, "/bundle", nullptr, c.rootfs, &mounts};
  auto r = ContainersStorageStore().Resolve(ctx);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->layers.empty());
  mounts = root_.Mounts(c, image_);  // layers where there should be none
  auto r2 = ContainersStorageStore().Resolve(ctx);
  EXPECT_FALSE(r2.ok());
}

TEST_F(CStorageStoreTest, LoadImageForCtl) {
  auto img = LoadContainersStorageImage(root_.path(), "sha256:" + image_.id);
  ASSERT_TRUE(img.ok()) << img.error().What();
  EXPECT_EQ(img->diff_ids, image_.diff_ids);
  EXPECT_FALSE(LoadContainersStorageImage(root_.path(), std::string(64, 'b')).ok());
}

// The manifests containers/storage keeps are recorded (not read) with images.json's digests:
// manifest-<digest> (base64 file name), and `manifest` only when it is another manifest.
TEST_F(CStorageStoreTest, RecordsTheManifestBigDataItems) {
  auto r = Resolve();
  ASSERT_TRUE(r.ok()) << r.error().What();
  const auto& files = (*r)->manifest_files;
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].digest, image_.manifest_digest);
  EXPECT_EQ(files[0].path, root_.path() + "/overlay-images/" + image_.id + "/" +
                               cstorage::BigDataFileName("manifest-" + image_.manifest_digest));
  EXPECT_EQ(files[0].path.find(':'), std::string::npos);
  EXPECT_TRUE(ReadManifestFile(files[0]).ok());

  // `manifest` holding another document (an older default instance) is its own entry.
  auto& rec = root_.images[0];
  std::string other = R"({"schemaVersion":2,"other":1})";
  root_.Write("overlay-images/" + image_.id + "/manifest", other);
  rec["big-data-digests"]["manifest"] = Sha256Digest(other);
  // An item whose recorded digest is not its key's is left out (a signature finds nothing).
  std::string forged = "manifest-" + Sha256Digest("forged");
  rec["big-data-names"].push_back(forged);
  rec["big-data-digests"][forged] = image_.manifest_digest;
  root_.Flush();
  auto img = LoadContainersStorageImage(root_.path(), "sha256:" + image_.id);
  ASSERT_TRUE(img.ok()) << img.error().What();
  ASSERT_EQ(img->manifest_files.size(), 2u);
  EXPECT_EQ(img->manifest_files[0].digest, image_.manifest_digest);
  EXPECT_EQ(img->manifest_files[1].digest, Sha256Digest(other));
  EXPECT_EQ(img->manifest_files[1].path,
            root_.path() + "/overlay-images/" + image_.id + "/manifest");
  EXPECT_TRUE(ReadManifestFile(img->manifest_files[1]).ok());
  bool noted = false;
  for (const auto& n : img->notes) noted |= n.find(forged) != std::string::npos;
  EXPECT_TRUE(noted);
}

TEST(BigDataFileName, MatchesContainersStorage) {
  // Observed in a real Podman 4.3 graph root.
  EXPECT_EQ(cstorage::BigDataFileName(
                "sha256:771822f72478b0c9c6a561b33d14c8271ba5e28174d14e138d65710e45d38f44"),
            "=c2hhMjU2Ojc3MTgyMmY3MjQ3OGIwYzljNmE1NjFiMzNkMTRjODI3MWJhNWUyODE3NGQxNGUxMzhkNjU3MT"
            "BlNDVkMzhmNDQ=");
  EXPECT_EQ(cstorage::BigDataFileName("manifest"), "manifest");
  EXPECT_EQ(cstorage::BigDataFileName("A"), "=QQ==");
  EXPECT_EQ(cstorage::BigDataFileName("ab:"), "=YWI6");
}

// Issue 10: `podman tag` adds to the image's names list; every one is a name deny rules see.
TEST(CStorageStoreNames, EveryNameOfTheImageIsAName) {
  FakeGraphRoot root;
  auto image = root.AddImage("tool", 2, {"localhost/fine/tool:1", "localhost/evil/tool:1"});
  auto ctr = root.AddContainer(image, "localhost/fine/tool:1");
  root.Flush();
  auto mounts = root.Mounts(ctr, image);
  ContainerContext ctx{ctr.id, "/bundle", nullptr, ctr.rootfs, &mounts};
  auto r = ContainersStorageStore().Resolve(ctx);
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_TRUE((*r)->typed_confirmed);
  EXPECT_EQ((*r)->names,
            (std::vector<std::string>{"localhost/evil/tool:1", "localhost/fine/tool:1"}));
  auto p =
      ParsePolicy(R"({"default":"allow","rules":[{"match":"LocalHost/evil/*","action":"deny"}]})");
  ASSERT_TRUE(p.ok());
  Verdict v = Evaluate(*p, **r, nullptr, RegistrationStore(root.path() + "/no-config"));
  EXPECT_EQ(v.decision, Action::kDeny);
  EXPECT_NE(v.reason.find("also tagged localhost/evil/tool:1"), std::string::npos) << v.reason;
}

}  // namespace
}  // namespace verified

namespace verified {
namespace {

// Podman's own files: the graphroot's userdata (shm) and, taken from the spec being created,
// the runroot files of this very container; a file of another container is not listed.
TEST(CStorageStoreFiles, ListsPodmansOwnFiles) {
  FakeGraphRoot root;
  auto image = root.AddImage("app", 1, {"localhost/app:1"});
  auto ctr = root.AddContainer(image, "localhost/app:1");
  root.Flush();
  auto mounts = root.Mounts(ctr, image);
  std::string runroot = root.path() + "-run";
  auto userdata = [&](const std::string& id) {
    std::string d = runroot + "/overlay-containers/" + id + "/userdata";
    std::filesystem::create_directories(d);
    std::filesystem::permissions(runroot + "/overlay-containers/" + id,
                                 std::filesystem::perms(0700));
    std::filesystem::permissions(d, std::filesystem::perms(0700));
    std::ofstream(d + "/hosts") << "x";
    return d;
  };
  std::string own = userdata(ctr.id), other = userdata(std::string(64, 'e'));
  Spec spec;
  spec.root_path = ctr.rootfs;
  spec.raw = {
      {"mounts",
       {{{"destination", "/etc/hosts"}, {"type", "bind"}, {"source", own + "/hosts"}},
        {{"destination", "/etc/resolv.conf"}, {"type", "bind"}, {"source", other + "/hosts"}}}}};
  ContainerContext ctx{ctr.id, "/bundle", &spec, ctr.rootfs, &mounts};
  auto r = ContainersStorageStore().Resolve(ctx);
  ASSERT_TRUE(r.ok() && r->has_value()) << (r.ok() ? "not mine" : r.error().What());
  const EngineFiles& f = (*r)->engine_files;
  EXPECT_EQ(f.container_dirs,
            std::vector<std::string>{root.path() + "/overlay-containers/" + ctr.id + "/userdata"});
  EXPECT_EQ(f.volume_dirs, std::vector<std::string>{root.path() + "/volumes"});
  if (geteuid() == 0) {  // the runroot rule needs root-owned directories
    EXPECT_EQ(f.container_files, std::vector<std::string>{own + "/hosts"});
  } else {
    EXPECT_TRUE(f.container_files.empty());
  }
  EXPECT_EQ(f.container_layer, "");
  std::filesystem::remove_all(runroot);
}

}  // namespace
}  // namespace verified
