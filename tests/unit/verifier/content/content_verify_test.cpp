#include "verifier/content/content_verify.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tar_layer_fixture.h"
#include "verifier/checks/catalog.h"
#include "verifier/content/content_cache.h"
#include "verifier/content/manifest_verify.h"
#include "verifier/policy/policy.h"

namespace verified::content {
namespace {

using fixture::DiskLayer;
using fixture::TempDir;

class ContentVerify : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fixture::IsRoot()) GTEST_SKIP() << "needs root (chown, mknod, trusted.* xattrs)";
    ASSERT_EQ(mkdir((tmp_ / "cfg").c_str(), 0755), 0);
  }

  // An image of two layers; `blob_only` drops the tar-split (a containerd snapshot).
  ResolvedImage Image(bool blob_only = false) {
    if (layers_.empty()) {
      layers_.push_back(fixture::MakeLayer(tmp_.path(), "l0", fixture::TypicalEntries()));
      layers_.push_back(fixture::MakeLayer(tmp_.path(), "l1",
                                           {fixture::Dir("etc/"), fixture::Whiteout("etc/empty"),
                                            fixture::File("etc/app", "v2\n")}));
      // Objects changed within the last 100 ms are recorded as racy and re-hashed next time.
      usleep(150000);
    }
    ResolvedImage img;
    for (const auto& l : layers_) {
      img.diff_ids.push_back(l.diff_id);
      img.layers.push_back(l.Location(!blob_only, blob_only));
    }
    return img;
  }

  ContentReport Run(ContentMode mode, bool blob_only = false) {
    ContentOptions opt;
    opt.mode = mode;
    opt.config_dir = tmp_ / "cfg";
    return VerifyImageContent(Image(blob_only), opt);
  }

  // Rewrites a file in place with the same size and mtime (only ctime moves).
  static void FlipByte(const std::string& path, off_t at) {
    struct stat st;
    ASSERT_EQ(stat(path.c_str(), &st), 0);
    int fd = open(path.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    char c;
    ASSERT_EQ(pread(fd, &c, 1, at), 1);
    c ^= 1;
    ASSERT_EQ(pwrite(fd, &c, 1, at), 1);
    close(fd);
    struct timespec ts[2] = {st.st_atim, st.st_mtim};
    ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), ts, 0), 0);
  }

  TempDir tmp_;
  std::vector<DiskLayer> layers_;
};

TEST_F(ContentVerify, FullModeVerifiesEveryLayerInParallel) {
  ContentReport r = Run(ContentMode::kFull);
  ASSERT_TRUE(r.ok) << r.Summary(2);
  ASSERT_EQ(r.layers.size(), 2u);
  EXPECT_EQ(r.layers[0].method, "tar-split");
  EXPECT_EQ(r.layers[0].digest, layers_[0].diff_id);
  EXPECT_EQ(r.layers[1].digest, layers_[1].diff_id);
  EXPECT_NE(r.Summary(2).find("2 layers match their diffIDs"), std::string::npos);
}

TEST_F(ContentVerify, ReportsTheLowestFailingLayerAndFile) {
  Image();
  FlipByte(layers_[1].diff_dir + "/etc/app", 0);
  ContentReport r = Run(ContentMode::kFull);
  ASSERT_FALSE(r.ok);
  const LayerReport* f = r.FirstFailure();
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->index, 1u);
  EXPECT_EQ(f->file, "etc/app");
  std::string s = r.Summary(2);
  EXPECT_NE(s.find("layer 2 of 2 (diffID " + layers_[1].diff_id), std::string::npos) << s;
  EXPECT_NE(s.find("etc/app content differs"), std::string::npos) << s;
}

TEST_F(ContentVerify, CachedModeRecordsThenTrustsFingerprints) {
  ContentReport first = Run(ContentMode::kCached);
  ASSERT_TRUE(first.ok) << first.Summary(2);
  EXPECT_EQ(first.layers[0].method, "tar-split");
  ContentReport second = Run(ContentMode::kCached);
  ASSERT_TRUE(second.ok) << second.Summary(2);
  EXPECT_EQ(second.layers[0].method, "fingerprints");
  EXPECT_EQ(second.layers[1].method, "fingerprints");
  EXPECT_EQ(second.bytes, 0u);
  EXPECT_NE(second.Summary(2).find("unchanged since verified"), std::string::npos);
  struct stat st;
  ASSERT_EQ(stat((tmp_ / "cfg/content-cache").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
}

TEST_F(ContentVerify, CachedModeCatchesAByteChangedWithItsMtimeRestored) {
  ASSERT_TRUE(Run(ContentMode::kCached).ok);
  ASSERT_TRUE(Run(ContentMode::kCached).ok);
  FlipByte(layers_[0].diff_dir + "/bin/tool", 12345);
  ContentReport r = Run(ContentMode::kCached);
  ASSERT_FALSE(r.ok);
  EXPECT_EQ(r.FirstFailure()->file, "bin/tool");
  EXPECT_EQ(r.FirstFailure()->method, "fingerprints+rehash");
  EXPECT_NE(r.FirstFailure()->message.find("content differs"), std::string::npos);
  // Restored bytes with a new ctime: only that file is re-hashed, then trusted again.
  FlipByte(layers_[0].diff_dir + "/bin/tool", 12345);
  usleep(150000);
  r = Run(ContentMode::kCached);
  ASSERT_TRUE(r.ok) << r.Summary(2);
  EXPECT_EQ(r.layers[0].method, "fingerprints+rehash");
  EXPECT_EQ(r.layers[0].rehashed, 1u);
  EXPECT_EQ(r.layers[1].method, "fingerprints");
}

TEST_F(ContentVerify, CachedModeCatchesAddedRemovedRetypedAndModeChanges) {
  ASSERT_TRUE(Run(ContentMode::kCached).ok);
  std::string d = layers_[0].diff_dir;
  fixture::WriteFile(d + "/etc/added", "x");
  EXPECT_EQ(Run(ContentMode::kCached).FirstFailure()->file, "etc/added");
  ASSERT_EQ(unlink((d + "/etc/added").c_str()), 0);
  ASSERT_EQ(chmod((d + "/etc/conf").c_str(), 0644), 0);
  EXPECT_NE(Run(ContentMode::kCached).FirstFailure()->message.find("mode 0644"), std::string::npos);
  ASSERT_EQ(chmod((d + "/etc/conf").c_str(), 0600), 0);
  ASSERT_EQ(rename((d + "/etc/nsec").c_str(), (tmp_ / "nsec").c_str()), 0);
  EXPECT_EQ(Run(ContentMode::kCached).FirstFailure()->file, "etc/nsec");
  ASSERT_EQ(symlink("conf", (d + "/etc/nsec").c_str()), 0);
  auto r = Run(ContentMode::kCached);
  EXPECT_EQ(r.FirstFailure()->file, "etc/nsec");
  EXPECT_NE(r.FirstFailure()->message.find("symlink"), std::string::npos);
}

TEST_F(ContentVerify, CachedFastPathSplitsABigLayerAcrossThreads) {
  std::vector<fixture::Entry> entries;
  for (int d = 0; d < 40; ++d) {
    entries.push_back(fixture::Dir(fmt::format("d{:02}/", d)));
    for (int f = 0; f < 150; ++f) {
      entries.push_back(fixture::File(fmt::format("d{:02}/f{}", d, f), fmt::format("{}-{}", d, f)));
    }
  }
  DiskLayer l = fixture::MakeLayer(tmp_.path(), "big", entries);
  usleep(150000);
  ResolvedImage img;
  img.diff_ids.push_back(l.diff_id);
  img.layers.push_back(l.Location());
  ContentOptions opt;
  opt.mode = ContentMode::kCached;
  opt.config_dir = tmp_ / "cfg";
  opt.threads = 4;  // one layer: the fast path splits it four ways
  ASSERT_TRUE(VerifyImageContent(img, opt).ok);
  ContentReport r = VerifyImageContent(img, opt);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.layers[0].method, "fingerprints");
  EXPECT_EQ(r.files, 6040u);
  for (std::string victim : {"d39/f149", "d00/f0", "d21/f7"}) {
    FlipByte(l.diff_dir + "/" + victim, 0);
    r = VerifyImageContent(img, opt);
    ASSERT_FALSE(r.ok) << victim;
    EXPECT_EQ(r.FirstFailure()->file, victim);
    FlipByte(l.diff_dir + "/" + victim, 0);
  }
}

TEST_F(ContentVerify, DamagedCacheIsRebuiltAndAnOpenCacheFailsClosed) {
  ASSERT_TRUE(Run(ContentMode::kCached).ok);
  std::string fps_dir = tmp_ / "cfg/content-cache/fingerprints";
  ASSERT_EQ(system(("for f in " + fps_dir + "/*; do printf garbage >> $f; done").c_str()), 0);
  ContentReport r = Run(ContentMode::kCached);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(r.layers[0].method, "tar-split");  // verified in full again
  ASSERT_EQ(chmod((tmp_ / "cfg/content-cache").c_str(), 0755), 0);
  r = Run(ContentMode::kCached);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.Summary(2).find("chmod go-rwx"), std::string::npos) << r.Summary(2);
}

TEST_F(ContentVerify, AnUnwritableCacheOnlyCostsSpeed) {
  ContentOptions opt;
  opt.mode = ContentMode::kCached;
  opt.config_dir = tmp_ / "no/such/dir";
  for (bool blob_only : {false, true}) {
    for (int i = 0; i < 2; ++i) {
      ContentReport r = VerifyImageContent(Image(blob_only), opt);
      ASSERT_TRUE(r.ok) << r.Summary(2);
      EXPECT_EQ(r.layers[0].method, blob_only ? "manifest" : "tar-split");
    }
  }
}

TEST_F(ContentVerify, BlobManifestBindsSnapshotDirectoriesWithoutTarSplit) {
  ContentReport full = Run(ContentMode::kFull, /*blob_only=*/true);
  ASSERT_TRUE(full.ok) << full.Summary(2);
  EXPECT_EQ(full.layers[0].method, "manifest");
  FlipByte(layers_[0].diff_dir + "/bin/tool", 7);
  ContentReport bad = Run(ContentMode::kFull, true);
  ASSERT_FALSE(bad.ok);
  EXPECT_EQ(bad.FirstFailure()->file, "bin/tool");
  EXPECT_NE(bad.FirstFailure()->message.find("content differs: sha256:"), std::string::npos);
  FlipByte(layers_[0].diff_dir + "/bin/tool", 7);
  usleep(150000);
  ASSERT_TRUE(Run(ContentMode::kCached, true).ok);
  ContentReport cached = Run(ContentMode::kCached, true);
  ASSERT_TRUE(cached.ok);
  EXPECT_EQ(cached.layers[0].method, "fingerprints");
  fixture::WriteFile(layers_[1].diff_dir + "/etc/extra", "");
  EXPECT_EQ(Run(ContentMode::kCached, true).FirstFailure()->file, "etc/extra");
}

TEST_F(ContentVerify, BlobMustHashToTheDiffId) {
  Image();
  Workspace ws;
  auto tree = BuildManifestFromBlob(layers_[0].blob, layers_[1].diff_id, ws);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.error().kind(), ErrorKind::kIntegrity);
  fixture::WriteFile(tmp_ / "zstd", std::string("\x28\xb5\x2f\xfd rest", 9));
  tree = BuildManifestFromBlob(tmp_ / "zstd", layers_[0].diff_id, ws);
  ASSERT_FALSE(tree.ok());
  EXPECT_EQ(tree.error().kind(), ErrorKind::kUnsupported);
  // A plain (uncompressed) tar blob works too.
  fixture::WriteFile(tmp_ / "plain.tar", layers_[0].tar);
  EXPECT_TRUE(BuildManifestFromBlob(tmp_ / "plain.tar", layers_[0].diff_id, ws).ok());
}

TEST_F(ContentVerify, LayersWithoutLocationsOrSourcesFailClosed) {
  ResolvedImage img = Image();
  img.layers[0].tar_split.clear();
  ContentOptions opt;
  opt.config_dir = tmp_ / "cfg";
  ContentReport r = VerifyImageContent(img, opt);
  ASSERT_FALSE(r.ok);
  EXPECT_NE(r.Summary(2).find("neither a tar-split nor a content-store blob"), std::string::npos);
  img.layers.pop_back();
  EXPECT_FALSE(VerifyImageContent(img, opt).ok);
}

TEST(ContentCacheCodec, RoundTripsAndRejectsTruncation) {
  ExpectedTree t;
  ExpectedNode n;
  n.path = "a/b";
  n.xattrs = {{"user.x", "1"}};
  n.content_sha256 = std::string(64, 'f');
  t.nodes.push_back(n);
  std::string diff = "sha256:" + std::string(64, 'a');
  std::string enc = EncodeManifest(diff, t);
  auto back = DecodeManifest(enc, diff);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->nodes[0].xattrs, n.xattrs);
  EXPECT_NE(back->Find("a/b"), nullptr);
  for (size_t cut = 0; cut < enc.size(); ++cut) {
    EXPECT_FALSE(DecodeManifest(enc.substr(0, cut), diff).ok()) << cut;
  }
  FingerprintRecord rec;
  rec.diff_id = diff;
  rec.fps.groups.push_back(FingerprintGroup{"", {}, {{"x", DiskStat{}}}});
  std::string f = EncodeFingerprints(rec);
  ASSERT_TRUE(DecodeFingerprints(f).ok());
  for (size_t cut = 0; cut < f.size(); ++cut)
    EXPECT_FALSE(DecodeFingerprints(f.substr(0, cut)).ok());
}

TEST(ContentRequirement, AcceptsOffFullCached) {
  EXPECT_TRUE(MakeRequirement("content", "full").ok());
  EXPECT_TRUE(MakeRequirement("content", "cached").ok());
  auto off = MakeRequirement("content", "off");
  ASSERT_TRUE(off.ok());
  EXPECT_EQ(*off, nullptr);
  EXPECT_FALSE(MakeRequirement("content", "fast").ok());
  EXPECT_FALSE(MakeRequirement("content", true).ok());
  auto p = ParsePolicy(R"({"rules":[{"match":"a/*","action":"allow","content":"cached"}]})");
  ASSERT_TRUE(p.ok()) << p.error().What();
  ASSERT_EQ(p->rules[0].requirements.size(), 1u);
  EXPECT_EQ(p->rules[0].requirements[0]->Name(), "content");
  EXPECT_EQ(p->rules[0].requirements[0]->Value(), "cached");
}

}  // namespace
}  // namespace verified::content
