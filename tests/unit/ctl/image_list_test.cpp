#include "ctl/image_list.h"

#include <gtest/gtest.h>

namespace verified::ctl {
namespace {

Reference Ref(const std::string& s) { return *ParseReference(s); }

TEST(ImageList, ParsesSeed001Format) {
  auto list = ParseImageList(
      "  # comment\n"
      "  # blank lines are ignored\n"
      "\n"
      "  my_company/*  \n"
      "python:3.7-alpine3.10   # trailing comment\r\n"
      "malicious_repo/.*\n"
      "regex:^evil\\.io/.*$\n");
  ASSERT_TRUE(list.ok()) << list.error().What();
  ASSERT_EQ(list->entries.size(), 4u);
  EXPECT_EQ(list->entries[0].line, 4u);
  EXPECT_EQ(list->entries[0].text, "my_company/*");
  EXPECT_FALSE(list->entries[0].pattern.is_regex());
  EXPECT_EQ(list->entries[1].text, "python:3.7-alpine3.10");
  EXPECT_TRUE(list->entries[2].pattern.is_regex());
  EXPECT_TRUE(list->entries[3].pattern.is_regex());
}

TEST(ImageList, MatchesNamesGlobsAndRegexes) {
  auto list = ParseImageList("my_company/*\npython:3.7-alpine3.10\nmalicious_repo/.*\n");
  ASSERT_TRUE(list.ok());
  auto hit = [&](const std::string& n) { return MatchImageList(*list, {Ref(n)}); };
  ASSERT_NE(hit("my_company/nginx"), nullptr);
  EXPECT_EQ(hit("my_company/nginx")->line, 1u);
  EXPECT_NE(hit("my_company/service:2.1"), nullptr);
  EXPECT_EQ(hit("my_company_evil/x"), nullptr);
  EXPECT_EQ(hit("evil.io/my_company/x"), nullptr);
  EXPECT_NE(hit("python:3.7-alpine3.10"), nullptr);
  EXPECT_EQ(hit("python:3.8"), nullptr);
  ASSERT_NE(hit("malicious_repo/some_image"), nullptr);
  EXPECT_EQ(hit("malicious_repo/some_image")->line, 3u);
  EXPECT_EQ(hit("developer_a/log_converter"), nullptr);
  EXPECT_EQ(MatchImageList(*list, {}), nullptr);
}

TEST(ImageList, RejectsBadEntriesNamingTheLine) {
  auto bad = ParseImageList("ok/image\n\nregex:([\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().What().find("line 3"), std::string::npos) << bad.error().What();
  auto upper = ParseImageList("Bad/Upper\n");
  ASSERT_FALSE(upper.ok());
  EXPECT_NE(upper.error().What().find("line 1"), std::string::npos);
}

// The image_list fuzz target's finding (tests/fuzz/corpus/image_list/regex-backtracking-dos.txt):
// std::regex backtracked without end on a line of stars. Such a line is now refused, and
// nested quantifiers that are valid match in one linear pass.
TEST(ImageList, BacktrackingRegexesCannotHangTheParserOrTheMatch) {
  auto stars = ParseImageList("ok/image\n  my_********/**local1h .*\n");
  ASSERT_FALSE(stars.ok());
  EXPECT_NE(stars.error().What().find("line 2"), std::string::npos) << stars.error().What();
  auto nested = ParseImageList("regex:^(m+m+)+y$\n");
  ASSERT_TRUE(nested.ok()) << nested.error().What();
  std::vector<Reference> names = {*ParseReference("mmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmmx/a")};
  EXPECT_EQ(MatchImageList(*nested, names), nullptr);
}

TEST(ImageList, EnforcesLimits) {
  EXPECT_EQ(ParseImageList(std::string(kMaxImageListBytes + 1, 'a')).error().kind(),
            ErrorKind::kTooLarge);
  EXPECT_EQ(ParseImageList(std::string(kMaxImageListLine + 1, 'a')).error().kind(),
            ErrorKind::kTooLarge);
  std::string many;
  for (size_t i = 0; i <= kMaxImageListEntries; ++i) many += "a\n";
  EXPECT_EQ(ParseImageList(many).error().kind(), ErrorKind::kTooLarge);
  EXPECT_FALSE(ParseImageList(std::string("a\0b\n", 4)).ok());
  EXPECT_FALSE(ParseImageList("regex:(a{200}){200}\n").ok());
  EXPECT_FALSE(ParseImageList("regex:a{100000}\n").ok());
  EXPECT_TRUE(ParseImageList("regex:^[a-z]{1,64}/x$\n").ok());
  auto empty = ParseImageList("# nothing\n\n");
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->entries.empty());
}

}  // namespace
}  // namespace verified::ctl
