// Small parts of the containerd store: varints, bundle paths, config.toml's root, platform
// matching, image targets in the content store.
#include <gtest/gtest.h>

#include <filesystem>

#include "fake_containerd.h"
#include "verifier/store/containerd/containerd_image.h"
#include "verifier/store/containerd/containerd_root.h"
#include "verifier/store/containerd/image_target.h"
#include "verifier/store/containerd/metadata_db.h"
#include "verifier/store/containerd/platform.h"

namespace verified::containerd {
namespace {

TEST(ContainerdVarint, DecodesGoEncodings) {
  EXPECT_EQ(*DecodeUvarint(std::string("\x01", 1)), 1u);
  EXPECT_EQ(*DecodeUvarint(std::string("\x80\x01", 2)), 128u);
  EXPECT_EQ(*DecodeUvarint(testing::FakeContainerd::Uvarint(~0ull)), ~0ull);
  EXPECT_EQ(*DecodeVarint(std::string("\xba\x05", 2)), 349);  // a real manifest size
  EXPECT_EQ(*DecodeVarint(testing::FakeContainerd::Varint(-5)), -5);
  EXPECT_FALSE(DecodeUvarint("").ok());
  EXPECT_FALSE(DecodeUvarint(std::string("\x80", 1)).ok());
  EXPECT_FALSE(DecodeUvarint(std::string("\x01\x01", 2)).ok());
  EXPECT_FALSE(DecodeUvarint(std::string(10, '\xff') + "\x01").ok());
  EXPECT_FALSE(DecodeUvarint(std::string(9, '\xff') + "\x02").ok());
}

TEST(ContainerdRoot, ParsesTaskBundles) {
  auto tb = ParseTaskBundle("/run/containerd/io.containerd.runtime.v2.task/k8s.io/abc");
  ASSERT_TRUE(tb);
  EXPECT_EQ(tb->state_dir, "/run/containerd");
  EXPECT_EQ(tb->ns, "k8s.io");
  EXPECT_EQ(tb->id, "abc");
  EXPECT_FALSE(ParseTaskBundle("/run/containerd/io.containerd.runtime.v1.linux/k8s.io/abc"));
  EXPECT_FALSE(ParseTaskBundle("/x/io.containerd.runtime.v2.task/abc"));
  EXPECT_FALSE(ParseTaskBundle("/x/io.containerd.runtime.v2.task/ns/.."));
}

TEST(ContainerdRoot, WorkLinkGivesTheRoot) {
  testing::TempDir tmp;
  std::string bundle = tmp / "state/io.containerd.runtime.v2.task/default/c1";
  std::filesystem::create_directories(bundle);
  TaskBundle tb{tmp / "state", "default", "c1"};
  std::filesystem::create_symlink("/var/lib/ctd/io.containerd.runtime.v2.task/default/c1",
                                  bundle + "/work");
  EXPECT_EQ(*RootFromBundle(bundle, tb), "/var/lib/ctd");
  std::filesystem::remove(bundle + "/work");
  std::filesystem::create_symlink("/var/lib/ctd/io.containerd.runtime.v2.task/default/c2",
                                  bundle + "/work");
  EXPECT_EQ(RootFromBundle(bundle, tb).error().kind(), ErrorKind::kInconsistent);
  std::filesystem::remove(bundle + "/work");
  std::filesystem::create_symlink("relative/io.containerd.runtime.v2.task/default/c1",
                                  bundle + "/work");
  EXPECT_FALSE(RootFromBundle(bundle, tb).ok());
}

TEST(ContainerdRoot, ReadsTopLevelRootFromConfig) {
  EXPECT_EQ(*ConfigRoot("version = 2\nroot = \"/data/ctd\"\nstate = \"/run/x\"\n"), "/data/ctd");
  EXPECT_EQ(*ConfigRoot("# root = \"/no\"\n  root='/lit'\n"), "/lit");
  EXPECT_EQ(*ConfigRoot("version = 2\n[plugins.x]\nroot = \"/plugin/root\"\n"), "");
  EXPECT_EQ(*ConfigRoot("rootless = true\n"), "");
  EXPECT_EQ(*ConfigRoot("root = \"/a\\\"b\"\n"), "/a\"b");
  EXPECT_FALSE(ConfigRoot("root = 5\n").ok());
  EXPECT_FALSE(ConfigRoot("root = \"unterminated\n").ok());
}

TEST(ContainerdPlatform, MatchesLikeContainerd) {
  Platform amd{"linux", "amd64", ""}, arm64{"linux", "arm64", "v8"}, arm7{"linux", "arm", "v7"};
  auto p = [](const char* os, const char* arch, const char* variant = "") {
    nlohmann::json j = {{"os", os}, {"architecture", arch}};
    if (*variant) j["variant"] = variant;
    return j;
  };
  EXPECT_TRUE(PlatformMatches(p("linux", "amd64"), amd));
  EXPECT_FALSE(PlatformMatches(p("windows", "amd64"), amd));
  EXPECT_FALSE(PlatformMatches(p("unknown", "unknown"), amd));  // attestation manifests
  EXPECT_TRUE(PlatformMatches(p("linux", "arm64", "v8"), arm64));
  EXPECT_FALSE(PlatformMatches(p("linux", "arm64", "v9"), arm64));
  EXPECT_TRUE(PlatformMatches(p("linux", "arm", "v6"), arm7));
  EXPECT_FALSE(PlatformMatches(p("linux", "arm", "v8"), arm7));
  EXPECT_FALSE(PlatformMatches(nlohmann::json("linux"), amd));
}

TEST(ContainerdImageTarget, FollowsIndexToThisPlatformsManifest) {
  testing::TempDir tmp;
  testing::FakeContainerd fake(tmp / "root", "default");
  auto img = fake.AddImage({"a"}, /*with_index=*/true, true, HostPlatform().architecture);
  auto root = Dir::Open(tmp / "root");
  auto content = ContentStore::Open(*root);
  ASSERT_TRUE(content.ok());
  auto r = ResolveTarget(*content, Descriptor{img.target_digest, "", -1}, HostPlatform());
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_EQ(r->size(), 1u);  // the s390x entry (whose blob is absent) was never read
  EXPECT_EQ((*r)[0].config_digest, img.config_digest);
  EXPECT_EQ((*r)[0].manifest_digest, img.manifest_digest);
  EXPECT_EQ((*r)[0].index_digests, std::vector<std::string>{img.target_digest});
  // A descriptor whose media type contradicts the blob.
  auto wrong = ResolveTarget(
      *content, Descriptor{img.target_digest, "application/vnd.oci.image.manifest.v1+json", -1},
      HostPlatform());
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.error().kind(), ErrorKind::kInconsistent);
  // A size that is not the blob's.
  EXPECT_EQ(
      ResolveTarget(*content, Descriptor{img.target_digest, "", 3}, HostPlatform()).error().kind(),
      ErrorKind::kIntegrity);
  // An absent blob.
  EXPECT_EQ(ResolveTarget(*content, Descriptor{Sha256Digest("nothing"), "", -1}, HostPlatform())
                .error()
                .kind(),
            ErrorKind::kNotFound);
  // A manifest whose config is not an image (an artifact).
  std::string artifact = fake.PutBlob(
      R"({"schemaVersion":2,"config":{"mediaType":"application/vnd.in-toto+json","digest":")" +
      Sha256Digest("x") + R"(","size":1}})");
  EXPECT_EQ(ResolveTarget(*content, Descriptor{artifact, "", -1}, HostPlatform()).error().kind(),
            ErrorKind::kUnsupported);
}

TEST(ContainerdImageLookup, LoadsByNameIdAndListsNames) {
  testing::TempDir tmp;
  testing::FakeContainerd fake(tmp / "root", "default");
  auto img = fake.AddImage({"a", "b"}, true, true, HostPlatform().architecture);
  fake.TagImage("docker.io/library/app:1", img);
  fake.TagImage("docker.io/library/app:latest", img);
  fake.Tag(img.config_digest, img.target_digest);  // CRI's ID record: not a name
  auto other = fake.AddImage({"z"}, false, false, HostPlatform().architecture);
  fake.TagImage("docker.io/library/other:1", other);
  fake.Write();
  auto byname = LoadContainerdImage(tmp / "root", "default", "app:1");
  ASSERT_TRUE(byname.ok()) << byname.error().What();
  EXPECT_EQ(byname->image_id, img.config_digest);
  EXPECT_TRUE(byname->typed_confirmed);
  EXPECT_EQ(byname->names,
            (std::vector<std::string>{"docker.io/library/app:1", "docker.io/library/app:latest"}));
  ASSERT_EQ(byname->layers.size(), 2u);
  EXPECT_EQ(byname->layers[1].diff_dir, fake.SnapDir(fake.Id(img.chain_ids[1])));
  // The index and the manifest this host runs, as content-store blobs that hash to their names.
  ASSERT_EQ(byname->manifest_files.size(), 2u);
  EXPECT_EQ(byname->manifest_files[0].digest, img.target_digest);
  EXPECT_EQ(byname->manifest_files[1].digest, img.manifest_digest);
  for (const auto& f : byname->manifest_files) {
    EXPECT_EQ(f.path, tmp / "root" + "/io.containerd.content.v1.content/blobs/sha256/" +
                          f.digest.substr(7));
    EXPECT_TRUE(ReadManifestFile(f).ok()) << f.path;
  }
  auto byid = LoadContainerdImage(tmp / "root", "default", img.config_digest);
  ASSERT_TRUE(byid.ok()) << byid.error().What();
  EXPECT_FALSE(byid->typed_confirmed);
  EXPECT_EQ(byid->names.size(), 2u);
  auto packed = LoadContainerdImage(tmp / "root", "default", "other:1");
  ASSERT_TRUE(packed.ok()) << packed.error().What();
  EXPECT_TRUE(packed->layers.empty());           // not unpacked: no directories to point at
  ASSERT_EQ(packed->manifest_files.size(), 1u);  // no index: the manifest alone
  EXPECT_EQ(packed->manifest_files[0].digest, other.manifest_digest);
  EXPECT_EQ(LoadContainerdImage(tmp / "root", "default", "absent:1").error().kind(),
            ErrorKind::kNotFound);
  EXPECT_EQ(LoadContainerdImage(tmp / "root", "other-ns", "app:1").error().kind(),
            ErrorKind::kNotFound);
}

}  // namespace
}  // namespace verified::containerd
