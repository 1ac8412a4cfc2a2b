#include "verifier/fs/dir.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

TEST(CheckRelativePath, RefusesEscapes) {
  EXPECT_TRUE(CheckRelativePath("a/b/c").ok());
  for (std::string bad : std::vector<std::string>{"", "/etc/passwd", "../x", "a/../b", "a//b",
                                                  "a/./b", "a/", "..", std::string("a\0b", 3)}) {
    auto st = CheckRelativePath(bad);
    EXPECT_FALSE(st.ok()) << bad;
    if (!st.ok()) {
      EXPECT_EQ(st.error().kind(), ErrorKind::kUnsafePath);
    }
  }
  EXPECT_EQ(CheckRelativePath(std::string(5000, 'a')).error().kind(), ErrorKind::kTooLarge);
}

class DirTest : public ::testing::Test {
 protected:
  DirTest() {
    testing::WriteFile(tmp_ / "root/a/file", "hello");
    testing::WriteFile(tmp_ / "outside", "secret");
    symlink("../../outside", (tmp_ / "root/a/escape").c_str());
    symlink("file", (tmp_ / "root/a/inside-link").c_str());
    symlink("..", (tmp_ / "root/a/up").c_str());
  }
  testing::TempDir tmp_;
};

TEST_F(DirTest, ReadsBeneathOnly) {
  auto d = Dir::Open(tmp_ / "root");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d->ReadFile("a/file", 100), "hello");
  EXPECT_EQ(d->ReadFile("a/escape", 100).error().kind(), ErrorKind::kUnsafePath);
  // Even a symlink that stays inside is refused: store files are never symlinks.
  EXPECT_FALSE(d->ReadFile("a/inside-link", 100).ok());
  EXPECT_FALSE(d->ReadFile("a/up/outside", 100).ok());
  EXPECT_FALSE(d->ReadFile("../outside", 100).ok());
  EXPECT_EQ(d->ReadFile("a/missing", 100).error().kind(), ErrorKind::kNotFound);
  EXPECT_EQ(d->ReadFile("a/file", 3).error().kind(), ErrorKind::kTooLarge);
  EXPECT_FALSE(d->ReadFile("a", 100).ok());  // a directory
}

TEST_F(DirTest, ReadLinkAndLstatDoNotFollow) {
  auto d = Dir::Open(tmp_ / "root");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(*d->ReadLink("a/escape"), "../../outside");
  auto st = d->Lstat("a/escape");
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(S_ISLNK(st->st_mode));
  EXPECT_TRUE(*d->Exists("a/file"));
  EXPECT_FALSE(*d->Exists("a/nope"));
  EXPECT_FALSE(d->Lstat("a/up/outside").ok());  // symlink in a middle component
}

TEST_F(DirTest, ListHasALimit) {
  auto d = Dir::Open(tmp_ / "root");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->List("a", 100)->size(), 4u);
  EXPECT_EQ(d->List("a", 2).error().kind(), ErrorKind::kTooLarge);
}

TEST(ErrnoText, AvoidsPhrasesTheDockerCliRewrites) {
  EXPECT_EQ(ErrnoText(ENOENT).find("such file"), std::string::npos);
  EXPECT_EQ(ErrnoText(EACCES).find("ermission denied"), std::string::npos);
  EXPECT_EQ(SysError(ENOENT, "x").kind(), ErrorKind::kNotFound);
}

TEST(ReadFileLimited, RefusesSymlinkAtTheEnd) {
  testing::TempDir tmp;
  testing::WriteFile(tmp / "real", "x");
  symlink((tmp / "real").c_str(), (tmp / "link").c_str());
  EXPECT_EQ(*ReadFileLimited(tmp / "real", 10), "x");
  EXPECT_FALSE(ReadFileLimited(tmp / "link", 10).ok());
}

}  // namespace
}  // namespace verified
