#include "verifier/content/tar_split.h"

#include <gtest/gtest.h>

#include "tar_layer_fixture.h"
#include "verifier/core/base64.h"
#include "verifier/content/crc64.h"

namespace verified::content {
namespace {

TEST(Base64, RoundTripsAndRejectsGarbage) {
  for (std::string s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string(513, 0)}) {
    std::string out;
    ASSERT_TRUE(Base64DecodeAppend(Base64Encode(s), out).ok());
    EXPECT_EQ(out, s);
  }
  std::string out;
  EXPECT_FALSE(Base64DecodeAppend("abc", out).ok());
  EXPECT_FALSE(Base64DecodeAppend("ab=c", out).ok());
  EXPECT_FALSE(Base64DecodeAppend("a===", out).ok());
  EXPECT_FALSE(Base64DecodeAppend("ab==abcd", out).ok());
  EXPECT_FALSE(Base64DecodeAppend("ab\ncd==", out).ok());
}

// The CRC-64 tar-split stored for a real Docker layer's 6-byte file "app:1\n".
TEST(Crc64, MatchesTarSplitOfARealDockerLayer) {
  Crc64 c;
  c.Update("app:1\n", 6);
  EXPECT_EQ(Base64Encode(c.Sum()), "YTNsXr6kIAA=");
}

TEST(TarSplitLine, ParsesSegmentsAndFiles) {
  TarSplitEntry e;
  ASSERT_TRUE(ParseTarSplitLine(R"({"type":2,"payload":"AAEC","position":0})", e).ok());
  EXPECT_EQ(e.type, TarSplitEntry::kSegment);
  EXPECT_EQ(e.payload, std::string("\0\1\2", 3));
  ASSERT_TRUE(
      ParseTarSplitLine(
          R"({"type":1,"name":"etc/image-tag","size":6,"payload":"YTNsXr6kIAA=","position":3})", e)
          .ok());
  EXPECT_EQ(e.type, TarSplitEntry::kFile);
  EXPECT_EQ(e.name, "etc/image-tag");
  EXPECT_EQ(e.size, 6);
  EXPECT_EQ(e.position, 3);
  ASSERT_TRUE(ParseTarSplitLine(R"({"type":1,"name":"opt/","payload":null,"position":1})", e).ok());
  EXPECT_EQ(e.size, 0);
  EXPECT_TRUE(e.payload.empty());
}

TEST(TarSplitLine, DecodesGoEscapesAndRawNames) {
  TarSplitEntry e;
  ASSERT_TRUE(
      ParseTarSplitLine(
          R"({"type":1,"name":"a\u003cb\u0026\"\\\n\u00e9\ud83d\ude00","payload":null,"position":0})",
          e)
          .ok());
  EXPECT_EQ(e.name, "a<b&\"\\\n\xc3\xa9\xf0\x9f\x98\x80");
  ASSERT_TRUE(ParseTarSplitLine(R"({"type":1,"name_raw":")" + Base64Encode("bad\xff") +
                                    R"(","payload":null,"position":0})",
                                e)
                  .ok());
  EXPECT_EQ(e.name, "bad\xff");
}

TEST(TarSplitLine, RefusesMalformedLines) {
  TarSplitEntry e;
  for (std::string bad : std::vector<std::string>{
           R"({"type":3,"payload":null,"position":0})",
           R"({"type":2,"payload":"AAEC","position":0,"extra":1})",
           R"({"type":2,"type":2,"payload":"AAEC","position":0})",
           R"({"type":2,"payload":"AAE","position":0})",
           R"({"type":2,"payload":"AAEC"})",
           R"({"type":2,"name":"x","payload":"AAEC","position":0})",
           R"({"type":1,"name":"x","size":5,"payload":"AAEC","position":0})",
           R"({"type":1,"size":5,"payload":"YTNsXr6kIAA=","position":0})",
           R"({"type":1,"name":"x","size":-5,"payload":null,"position":0})",
           R"({"type":1,"name":"a\ud800","payload":null,"position":0})",
           R"({"type":2,"payload":"AAEC","position":0} x)",
           R"({"type":2,"payload":"AAEC","position":01})",
           "{\"type\":1,\"name\":\"a\tb\",\"payload\":null,\"position\":0}",
           R"({"type":2,"payload":"AAEC","position":99999999999999999999})",
           "",
           "[]",
       }) {
    EXPECT_FALSE(ParseTarSplitLine(bad, e).ok()) << bad;
  }
}

TEST(TarSplitReader, StreamsConcatenatedGzipMembers) {
  std::string lines1 = R"({"type":2,"payload":"AAEC","position":0})"
                       "\n";
  std::string lines2 = R"({"type":1,"name":"x","payload":null,"position":1})"
                       "\n\n";
  std::string gz = fixture::Gzip(lines1) + fixture::Gzip(lines2);
  auto r = TarSplitReader::FromMemory(gz, "test");
  ASSERT_TRUE(r.ok());
  TarSplitEntry e;
  auto more = (*r)->Next(e);
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(e.type, TarSplitEntry::kSegment);
  more = (*r)->Next(e);
  ASSERT_TRUE(more.ok() && *more);
  EXPECT_EQ(e.name, "x");
  more = (*r)->Next(e);
  ASSERT_TRUE(more.ok());
  EXPECT_FALSE(*more);
}

TEST(TarSplitReader, RefusesOutOfOrderPositionsTruncationAndLongLines) {
  TarSplitEntry e;
  {
    std::string gz = fixture::Gzip(R"({"type":2,"payload":"AAEC","position":1})"
                                   "\n");
    auto r = TarSplitReader::FromMemory(gz, "t");
    auto more = (*r)->Next(e);
    EXPECT_FALSE(more.ok());
  }
  {
    std::string gz = fixture::Gzip(std::string(1000, 'x') + "\n");
    gz.resize(gz.size() / 2);
    auto r = TarSplitReader::FromMemory(gz, "t");
    Result<bool> more = true;
    while (more.ok() && *more) more = (*r)->Next(e);
    EXPECT_FALSE(more.ok());
  }
  {
    std::string gz = fixture::Gzip(std::string(5u << 20, ' ') + "x\n");
    auto r = TarSplitReader::FromMemory(gz, "t");
    auto more = (*r)->Next(e);
    ASSERT_FALSE(more.ok());
    EXPECT_EQ(more.error().kind(), ErrorKind::kTooLarge);
  }
  {
    auto r = TarSplitReader::FromMemory("not gzip at all", "t");
    auto more = (*r)->Next(e);
    EXPECT_FALSE(more.ok());
  }
}

}  // namespace
}  // namespace verified::content
