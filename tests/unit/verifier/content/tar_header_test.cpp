#include "verifier/content/tar_header.h"

#include <gtest/gtest.h>

#include <cstring>

#include "tar_layer_fixture.h"

namespace verified::content {
namespace {

using fixture::BuildTar;
using fixture::Style;

std::vector<TarEntry> ParseAll(const std::string& tar, Status* status = nullptr, size_t chunk = 7) {
  std::vector<TarEntry> out;
  std::string content;
  TarStreamParser p(
      [&](const TarEntry& e) {
        out.push_back(e);
        return Ok();
      },
      true, [&](const char* d, size_t n) { content.append(d, n); });
  Status st = Ok();
  for (size_t i = 0; i < tar.size() && st.ok(); i += chunk) {
    st = p.Feed(tar.data() + i, std::min(chunk, tar.size() - i));
  }
  if (st.ok()) st = p.Finish();
  if (status != nullptr) *status = st;
  return out;
}

TEST(TarHeader, ReadsUstarPaxAndGnuHeaders) {
  auto entries = fixture::TypicalEntries();
  for (Style style : {Style::kPax, Style::kGnu}) {
    Status st = Ok();
    auto got = ParseAll(BuildTar(entries, style), &st);
    ASSERT_TRUE(st.ok()) << st.error().What();
    ASSERT_EQ(got.size(), entries.size());
    for (size_t i = 0; i < entries.size(); ++i) {
      EXPECT_EQ(got[i].name, entries[i].name);
      EXPECT_EQ(got[i].mode, entries[i].mode);
      EXPECT_EQ(got[i].mtime_sec, entries[i].mtime);
    }
    EXPECT_EQ(got[1].size, 3 << 20);
    EXPECT_EQ(got[2].type, '2');
    EXPECT_EQ(got[2].linkname, "tool");
    EXPECT_EQ(got[3].type, '1');
    EXPECT_EQ(got[8].name.size(), 154u);  // long name through PAX path or GNU 'L'
    if (style == Style::kPax) {
      EXPECT_EQ(got[7].mtime_nsec, 123456789u);
      ASSERT_EQ(got[6].xattrs.size(), 1u);
      EXPECT_EQ(got[6].xattrs[0].first, "user.note");
      EXPECT_EQ(got[6].xattrs[0].second, "hello");
    }
  }
}

TEST(TarHeader, RefusesBadChecksumsSparseFilesAndTruncation) {
  std::string tar = BuildTar({fixture::File("a", "x")});
  std::string bad = tar;
  bad[0] = 'b';
  Status st = Ok();
  ParseAll(bad, &st);
  EXPECT_FALSE(st.ok());

  std::string sparse = tar;
  sparse[156] = 'S';
  // Recompute the checksum so only the type is wrong.
  memset(&sparse[148], ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(sparse[i]);
  snprintf(&sparse[148], 8, "%06o", sum);
  ParseAll(sparse, &st);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kUnsupported);

  ParseAll(tar.substr(0, 700), &st);
  EXPECT_FALSE(st.ok());
}

TEST(TarHeader, ContentMustNotComeFromSegmentsWhenItComesFromDisk) {
  std::string tar = BuildTar({fixture::File("a", "hello")});
  TarStreamParser p([](const TarEntry&) { return Ok(); }, /*inline_content=*/false);
  ASSERT_TRUE(p.Feed(tar.data(), 512).ok());
  EXPECT_EQ(p.ContentRemaining(), 5u);
  Status st = p.Feed(tar.data() + 512, 5);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().kind(), ErrorKind::kIntegrity);
  TarStreamParser q([](const TarEntry&) { return Ok(); }, false);
  ASSERT_TRUE(q.Feed(tar.data(), 512).ok());
  EXPECT_FALSE(q.SkipContent(6).ok());
  ASSERT_TRUE(q.SkipContent(5).ok());
  ASSERT_TRUE(q.Feed(tar.data() + 517, tar.size() - 517).ok());
  EXPECT_TRUE(q.Finish().ok());
  EXPECT_TRUE(q.AtEnd());
}

TEST(TarHeader, ReadsBase256Numbers) {
  std::string tar = BuildTar({fixture::File("a", "xyz")});
  // uid 2^21 as base-256: 0x80 then big-endian bytes.
  memset(&tar[108], 0, 8);
  tar[108] = static_cast<char>(0x80);
  tar[113] = 0x20;
  memset(&tar[148], ' ', 8);
  unsigned sum = 0;
  for (size_t i = 0; i < 512; ++i) sum += static_cast<unsigned char>(tar[i]);
  snprintf(&tar[148], 8, "%06o", sum);
  Status st = Ok();
  auto got = ParseAll(tar, &st);
  ASSERT_TRUE(st.ok()) << st.error().What();
  EXPECT_EQ(got[0].uid, 0x200000u);
}

}  // namespace
}  // namespace verified::content
