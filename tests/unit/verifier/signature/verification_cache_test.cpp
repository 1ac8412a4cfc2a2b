#include "verifier/signature/verification_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified::signature {
namespace {

using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

const std::string kFpA(64, 'a'), kFpB(64, 'b'), kFpC(64, 'c');

VerificationKey Key() {
  return VerificationKey{std::string(64, '1'),
                         "sha256:" + std::string(64, '2'),
                         {kFpA, kFpB},
                         "sha256:" + std::string(64, '3')};
}

TEST(VerificationCache, RoundTripsSuccessesThroughTheFile) {
  TempDir dir;
  auto c = VerificationCache::Load(dir.path());
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.ignored_reason(), "");
  EXPECT_FALSE(c.Find(Key()));
  ASSERT_TRUE(c.Add(Key(), kFpB).ok());
  ASSERT_TRUE(c.Save(dir.path()).ok());
  struct stat st;
  ASSERT_EQ(stat((dir / kVerificationCacheFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto back = VerificationCache::Load(dir.path());
  EXPECT_EQ(back.Find(Key()), kFpB);
  // The key set is a set: order does not matter.
  VerificationKey reordered = Key();
  std::swap(reordered.key_fingerprints[0], reordered.key_fingerprints[1]);
  EXPECT_EQ(back.Find(reordered), kFpB);
}

TEST(VerificationCache, AnyChangeOfDigestKeysPolicyOrRecordMisses) {
  VerificationCache c;
  ASSERT_TRUE(c.Add(Key(), kFpA).ok());
  auto changed = [&](auto edit) {
    VerificationKey k = Key();
    edit(k);
    return c.Find(k);
  };
  EXPECT_FALSE(changed([](VerificationKey& k) { k.manifest_digest.back() = '9'; }));
  EXPECT_FALSE(changed([](VerificationKey& k) { k.policy_digest.back() = '9'; }));
  EXPECT_FALSE(changed([](VerificationKey& k) { k.record_id.back() = '9'; }));
  EXPECT_FALSE(changed([](VerificationKey& k) { k.key_fingerprints.push_back(kFpC); }));
  EXPECT_FALSE(changed([](VerificationKey& k) { k.key_fingerprints.pop_back(); }));
}

TEST(VerificationCache, NeverSaysMoreThanWasProven) {
  VerificationCache c;
  EXPECT_FALSE(c.Add(Key(), kFpC).ok());  // a key outside the set
  EXPECT_EQ(c.size(), 0u);
  // A file naming a fingerprint outside the hashed key set (hand-edited, or a collision of
  // names) is no hit.
  TempDir dir;
  WriteFile(
      dir / kVerificationCacheFile,
      "verified signature verifications v1\n" + VerificationCacheName(Key()) + " " + kFpC + "\n",
      0600);
  auto loaded = VerificationCache::Load(dir.path());
  EXPECT_EQ(loaded.size(), 1u);
  EXPECT_FALSE(loaded.Find(Key()));
}

TEST(VerificationCache, CorruptOrUntrustedFilesAreIgnoredNeverErrors) {
  TempDir dir;
  VerificationCache good;
  ASSERT_TRUE(good.Add(Key(), kFpA).ok());
  ASSERT_TRUE(good.Save(dir.path()).ok());
  std::string text = ReadFile(dir / kVerificationCacheFile);
  auto ignored = [&](const std::string& content, unsigned mode) {
    unlink((dir / kVerificationCacheFile).c_str());
    WriteFile(dir / kVerificationCacheFile, content, mode);
    chmod((dir / kVerificationCacheFile).c_str(), mode);
    auto c = VerificationCache::Load(dir.path());
    EXPECT_EQ(c.size(), 0u) << content;
    EXPECT_NE(c.ignored_reason(), "") << content;
    EXPECT_FALSE(c.Find(Key()));
  };
  ignored(text.substr(0, text.size() - 1), 0600);  // truncated
  ignored(text + "x", 0600);                       // trailing garbage
  ignored("other header\n" + text.substr(text.find('\n') + 1), 0600);
  std::string upper = text;
  upper[upper.size() - 2] = 'A';  // not lowercase hex
  ignored(upper, 0600);
  ignored(text, 0666);  // writable by others: anyone could have added entries
  unlink((dir / kVerificationCacheFile).c_str());
  WriteFile(dir / "elsewhere", text, 0600);
  ASSERT_EQ(symlink("elsewhere", (dir / kVerificationCacheFile).c_str()), 0);
  EXPECT_EQ(VerificationCache::Load(dir.path()).size(), 0u);
}

TEST(VerificationCache, IsBoundedDroppingTheOldest) {
  VerificationCache c;
  for (size_t i = 0; i <= kMaxVerificationCacheEntries; ++i) {
    VerificationKey k = Key();
    k.record_id = std::to_string(i);
    ASSERT_TRUE(c.Add(k, kFpA).ok());
  }
  EXPECT_EQ(c.size(), kMaxVerificationCacheEntries);
  VerificationKey first = Key(), last = Key();
  first.record_id = "0";
  last.record_id = std::to_string(kMaxVerificationCacheEntries);
  EXPECT_FALSE(c.Find(first));
  EXPECT_TRUE(c.Find(last));
  TempDir dir;
  ASSERT_TRUE(c.Save(dir.path()).ok());
  EXPECT_EQ(VerificationCache::Load(dir.path()).size(), kMaxVerificationCacheEntries);
}

}  // namespace
}  // namespace verified::signature
