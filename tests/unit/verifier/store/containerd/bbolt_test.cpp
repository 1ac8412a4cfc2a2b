#include "verifier/store/containerd/bbolt.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include "bolt_writer.h"
#include "test_util.h"

namespace verified::bbolt {
namespace {

using testing::BoltLayout;
using testing::BoltTree;
using testing::BoltWriter;
using testing::TempDir;

Db OpenBytes(const TempDir& dir, const std::string& bytes, const std::string& name = "db") {
  testing::WriteFile(dir / name, bytes);
  int fd = open((dir / name).c_str(), O_RDONLY | O_CLOEXEC);
  return Db::FromFd(fd, dir / name);
}

Result<std::optional<std::string>> GetPath(const Db& db, std::initializer_list<std::string> path,
                                           const std::string& key) {
  std::vector<std::string> p(path);
  return db.View<std::optional<std::string>>([&](Tx& tx) -> Result<std::optional<std::string>> {
    Bucket b = tx.Root();
    for (const auto& n : p) {
      VERIFIED_ASSIGN_OR_RETURN(std::optional<Bucket> c, tx.Child(b, n));
      if (!c) return std::optional<std::string>();
      b = *c;
    }
    return tx.Get(b, key);
  });
}

std::vector<std::string> Keys(const Db& db, std::initializer_list<std::string> path) {
  std::vector<std::string> p(path);
  auto r = db.View<std::vector<std::string>>([&](Tx& tx) -> Result<std::vector<std::string>> {
    Bucket b = tx.Root();
    for (const auto& n : p) {
      VERIFIED_ASSIGN_OR_RETURN(std::optional<Bucket> c, tx.Child(b, n));
      if (!c) return MakeError(ErrorKind::kNotFound, "no bucket {}", n);
      b = *c;
    }
    std::vector<std::string> keys;
    VERIFIED_RETURN_IF_ERROR(tx.ForEach(b, [&](const Entry& e) {
      keys.emplace_back(e.key);
      return Ok();
    }));
    return keys;
  });
  EXPECT_TRUE(r.ok()) << r.error().What();
  return r.ok() ? *r : std::vector<std::string>();
}

BoltTree SampleTree() {
  BoltTree t;
  t.Path({"v1", "small"}).Put("a", "1").Put("b", "2");  // inline
  auto& big = t.Path({"v1", "big"});
  for (int i = 0; i < 300; ++i) big.Put(fmt::format("key{:04}", i), fmt::format("value-{}", i));
  t.Path({"v1", "nested", "deeper"}).Put("x", "y");
  t.Path({"v1"}).Put("version", "\x06");
  t.Path({"v1", "huge"}).Put("blob", std::string(20000, 'z'));
  return t;
}

TEST(BboltFormat, Fnv1a64MatchesGo) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

TEST(Bbolt, ReadsValuesBucketsInlineBranchesAndOverflow) {
  TempDir dir;
  for (size_t split : {size_t{0}, size_t{7}}) {
    BoltLayout layout;
    layout.max_leaf_keys = split;
    Db db = OpenBytes(dir, BoltWriter(layout).Build(SampleTree()));
    auto v = GetPath(db, {"v1", "small"}, "b");
    ASSERT_TRUE(v.ok()) << v.error().What();
    EXPECT_EQ(v->value_or("absent"), "2");
    for (int i : {0, 1, 6, 7, 8, 150, 299}) {
      auto w = GetPath(db, {"v1", "big"}, fmt::format("key{:04}", i));
      ASSERT_TRUE(w.ok()) << w.error().What();
      EXPECT_EQ(w->value_or("absent"), fmt::format("value-{}", i)) << "split " << split;
    }
    auto missing = GetPath(db, {"v1", "big"}, "key0300");
    ASSERT_TRUE(missing.ok());
    EXPECT_FALSE(missing->has_value());
    auto before = GetPath(db, {"v1", "big"}, "aaa");
    ASSERT_TRUE(before.ok());
    EXPECT_FALSE(before->has_value());
    auto huge = GetPath(db, {"v1", "huge"}, "blob");
    ASSERT_TRUE(huge.ok()) << huge.error().What();
    EXPECT_EQ(huge->value_or(""), std::string(20000, 'z'));
    EXPECT_EQ(GetPath(db, {"v1", "nested", "deeper"}, "x")->value_or(""), "y");
    auto keys = Keys(db, {"v1", "big"});
    ASSERT_EQ(keys.size(), 300u);
    EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
    EXPECT_EQ(Keys(db, {"v1"}),
              (std::vector<std::string>{"big", "huge", "nested", "small", "version"}));
  }
}

TEST(Bbolt, ValueAndBucketConfusionIsAnError) {
  TempDir dir;
  Db db = OpenBytes(dir, BoltWriter().Build(SampleTree()));
  auto as_bucket = GetPath(db, {"v1", "version"}, "x");
  ASSERT_FALSE(as_bucket.ok());
  EXPECT_EQ(as_bucket.error().kind(), ErrorKind::kInconsistent);
  auto as_value = GetPath(db, {"v1"}, "small");
  ASSERT_FALSE(as_value.ok());
  EXPECT_EQ(as_value.error().kind(), ErrorKind::kInconsistent);
}

TEST(Bbolt, ChoosesTheValidMetaWithTheHighestTxid) {
  TempDir dir;
  BoltTree t;
  t.Path({"old"}).Put("k", "old");
  t.Path({"new"}).Bucket("new").Put("k", "new");
  BoltLayout layout;
  layout.allow_inline = false;
  BoltWriter w(layout);
  std::string bytes = w.Build(t);
  // The "new" bucket's page is itself a root page whose only key is the bucket "new": point
  // meta 0 (txid 8, newer than meta 1's 7) at it.
  Db probe = OpenBytes(dir, bytes, "probe");
  auto new_root = probe.View<uint64_t>([](Tx& tx) -> Result<uint64_t> {
    uint64_t root = 0;
    VERIFIED_RETURN_IF_ERROR(tx.ForEach(tx.Root(), [&](const Entry& e) {
      if (e.key == "new") root = Le64(e.value, 0);
      return Ok();
    }));
    return root;
  });
  ASSERT_TRUE(new_root.ok());
  BoltWriter::SetMeta(bytes, 4096, 0, *new_root, w.high_water_mark(), 8);
  Db db = OpenBytes(dir, bytes);
  EXPECT_EQ(db.CurrentMeta()->txid, 8u);
  EXPECT_EQ(GetPath(db, {"new"}, "k")->value_or(""), "new");
  // Tear meta 0 (a write of txid 8 cut short): the reader falls back to txid 7.
  bytes[16 + 20] ^= 0x40;
  Db torn = OpenBytes(dir, bytes, "torn");
  EXPECT_EQ(torn.CurrentMeta()->txid, 7u);
  EXPECT_EQ(GetPath(torn, {"old"}, "k")->value_or(""), "old");
  // Both torn: no answer at all.
  bytes[4096 + 16 + 20] ^= 0x40;
  Db none = OpenBytes(dir, bytes, "none");
  auto r = GetPath(none, {"old"}, "k");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(r.error().What().find("no valid meta page"), std::string::npos);
}

TEST(Bbolt, FindsMetaOneWhenMetaZeroIsTorn) {
  TempDir dir;
  BoltLayout layout;
  layout.page_size = 8192;
  std::string bytes = BoltWriter(layout).Build(SampleTree());
  bytes[16] ^= 1;  // magic of meta 0
  Db db = OpenBytes(dir, bytes);
  auto m = db.CurrentMeta();
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_EQ(m->page_size, 8192u);
  EXPECT_EQ(GetPath(db, {"v1", "small"}, "a")->value_or(""), "1");
}

// Every truncation of a file either fails or gives exactly the right answer.
TEST(Bbolt, TruncatedFilesNeverGiveAWrongAnswer) {
  TempDir dir;
  BoltLayout layout;
  layout.max_leaf_keys = 7;
  std::string bytes = BoltWriter(layout).Build(SampleTree());
  int right = 0;
  for (size_t len = 0; len <= bytes.size(); len += 512) {
    Db db = OpenBytes(dir, bytes.substr(0, len));
    auto v = GetPath(db, {"v1", "big"}, "key0150");
    auto h = GetPath(db, {"v1", "huge"}, "blob");
    if (v.ok()) {
      EXPECT_EQ(v->value_or(""), "value-150") << len;
      ++right;
    }
    if (h.ok()) {
      EXPECT_EQ(h->value_or(""), std::string(20000, 'z')) << len;
    }
  }
  EXPECT_GT(right, 0);
}

// Structural damage a torn or reused page can show is rejected, never followed.
TEST(Bbolt, RejectsMalformedPages) {
  TempDir dir;
  BoltLayout layout;
  layout.max_leaf_keys = 7;
  layout.allow_inline = false;
  BoltTree t;
  auto& big = t.Path({"b"});
  for (int i = 0; i < 30; ++i) big.Put(fmt::format("k{:02}", i), "v");
  BoltWriter w(layout);
  const std::string good = w.Build(t);
  Db ok = OpenBytes(dir, good, "good");
  ASSERT_EQ(GetPath(ok, {"b"}, "k29")->value_or(""), "v");
  // Leaves are pages 3..7, the branch page 8, the root page 9 (writer allocation order).
  auto corrupt = [&](const std::function<void(std::string&)>& edit, const std::string& what) {
    std::string bytes = good;
    edit(bytes);
    Db db = OpenBytes(dir, bytes, "bad");
    std::vector<std::string> keys;
    auto r = db.ViewStatus([&](Tx& tx) -> Status {
      for (int i = 0; i < 30; ++i) {
        VERIFIED_ASSIGN_OR_RETURN(auto b, tx.Child(tx.Root(), "b"));
        if (!b) return MakeError(ErrorKind::kNotFound, "b");
        VERIFIED_ASSIGN_OR_RETURN(auto v, tx.Get(*b, fmt::format("k{:02}", i)));
        if (!v || *v != "v") return MakeError(ErrorKind::kNotFound, "k{}", i);
      }
      return Ok();
    });
    EXPECT_FALSE(r.ok()) << what;
  };
  const size_t ps = 4096;
  corrupt([&](std::string& b) { BoltWriter::Store64(b, 3 * ps, 42); }, "page id mismatch");
  corrupt([&](std::string& b) { BoltWriter::Store16(b, 3 * ps + 8, 0x04); }, "meta flags");
  corrupt([&](std::string& b) { BoltWriter::Store32(b, 3 * ps + 16 + 4, 5000); }, "pos");
  corrupt([&](std::string& b) { BoltWriter::Store32(b, 3 * ps + 16 + 12, 1u << 30); }, "vsize");
  corrupt([&](std::string& b) { BoltWriter::Store16(b, 3 * ps + 10, 4000); }, "count");
  corrupt([&](std::string& b) { BoltWriter::Store32(b, 3 * ps + 12, 1u << 20); }, "overflow");
  corrupt([&](std::string& b) { std::swap(b[3 * ps + 16 * 8 + 2], b[3 * ps + 16 * 8 + 6]); },
          "key order");
  // branch page 8: first child points back at itself (a cycle), or past the high water mark
  corrupt([&](std::string& b) { BoltWriter::Store64(b, 8 * ps + 16 + 8, 8); }, "cycle");
  corrupt([&](std::string& b) { BoltWriter::Store64(b, 8 * ps + 16 + 8, 1000); }, "hwm");
  corrupt([&](std::string& b) { BoltWriter::Store64(b, 8 * ps + 16 + 8, 1); }, "meta child");
  // child of the wrong key range: swap two children
  corrupt(
      [&](std::string& b) {
        BoltWriter::Store64(b, 8 * ps + 16 + 8, 4);
        BoltWriter::Store64(b, 8 * ps + 32 + 8, 3);
      },
      "swapped children");
}

TEST(Bbolt, InlineBucketMayNotHoldBuckets) {
  // An inline page whose element claims to be a bucket: bbolt never writes that.
  TempDir dir;
  BoltTree t;
  t.Path({"v1", "inl"}).Put("aa", std::string(16, '\0'));
  std::string bytes = BoltWriter().Build(t);
  // Find the inline element's flags: the only leaf element with key "aa".
  size_t at = bytes.find("aa");
  ASSERT_NE(at, std::string::npos);
  // Element array of the inline page starts 16 bytes after its page header; one element.
  size_t elem = at - 16;  // pos = 16 (element size) from the element itself
  BoltWriter::Store32(bytes, elem, kBucketLeafFlag);
  Db db = OpenBytes(dir, bytes);
  auto r = GetPath(db, {"v1", "inl"}, "aa");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
}

// A commit racing the read (the file's newest meta changes while a View runs) makes the View
// read again; its result comes from one transaction only.
TEST(Bbolt, RetriesWhenACommitRacesTheRead) {
  TempDir dir;
  BoltTree a, b;
  a.Path({"v1"}).Put("state", "A");
  b.Path({"v1"}).Put("state", "B");
  BoltLayout la;
  la.txid = 4;
  BoltLayout lb;
  lb.txid = 5;
  std::string fa = BoltWriter(la).Build(a), fb = BoltWriter(lb).Build(b);
  Db db = OpenBytes(dir, fa);
  int calls = 0;
  auto r = db.View<std::string>([&](Tx& tx) -> Result<std::string> {
    ++calls;
    VERIFIED_ASSIGN_OR_RETURN(auto v1, tx.Child(tx.Root(), "v1"));
    VERIFIED_ASSIGN_OR_RETURN(auto s, tx.Get(*v1, "state"));
    if (calls == 1) testing::WriteFile(dir / "db", fb);  // "commit" after our page reads
    return s.value_or("");
  });
  ASSERT_TRUE(r.ok()) << r.error().What();
  EXPECT_EQ(*r, "B");
  EXPECT_EQ(calls, 2);

  // A file that changes during every attempt gives no answer.
  uint64_t txid = 10;
  Db busy = OpenBytes(dir, fa, "busy");
  auto never = busy.View<std::string>([&](Tx&) -> Result<std::string> {
    BoltLayout l;
    l.txid = ++txid;
    testing::WriteFile(dir / "busy", BoltWriter(l).Build(a));
    return std::string("A");
  });
  ASSERT_FALSE(never.ok());
  EXPECT_EQ(never.error().kind(), ErrorKind::kInconsistent);
  EXPECT_NE(never.error().What().find("changed during each of 8 reads"), std::string::npos);
}

}  // namespace
}  // namespace verified::bbolt
