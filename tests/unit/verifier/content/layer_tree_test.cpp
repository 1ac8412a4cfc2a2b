#include "verifier/content/layer_tree.h"

#include <gtest/gtest.h>

namespace verified::content {
namespace {

TarEntry E(std::string name, char type = '0', std::string link = "") {
  TarEntry e;
  e.name = std::move(name);
  e.type = type;
  e.linkname = std::move(link);
  e.mode = 0644;
  return e;
}

TEST(LayerTree, CleansNamesAndRefusesEscapes) {
  EXPECT_EQ(*CleanArchiveName("./a//b/"), "a/b");
  EXPECT_EQ(*CleanArchiveName("./"), "");
  EXPECT_EQ(CleanArchiveName("/etc/passwd").error().kind(), ErrorKind::kUnsafePath);
  EXPECT_EQ(CleanArchiveName("a/../../x").error().kind(), ErrorKind::kUnsafePath);
  EXPECT_EQ(CleanArchiveName("..").error().kind(), ErrorKind::kUnsafePath);
  EXPECT_EQ(CleanArchiveName(std::string(5000, 'a')).error().kind(), ErrorKind::kTooLarge);
}

TEST(LayerTree, AppliesOverlayConversions) {
  ExpectedTreeBuilder b;
  ASSERT_TRUE(b.Add(E("./", '5')).ok());
  ASSERT_TRUE(b.Add(E("etc/", '5')).ok());
  ASSERT_TRUE(b.Add(E("etc/.wh.gone")).ok());
  ASSERT_TRUE(b.Add(E("var/lib/.wh..wh..opq")).ok());
  ASSERT_TRUE(b.Add(E("var/lib/x")).ok());
  ASSERT_TRUE(b.Add(E("var/lib/y", '1', "var/lib/x")).ok());
  ASSERT_TRUE(b.Add(E(".wh..wh..opq")).ok());
  auto t = std::move(b).Finish();
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->Find("etc/gone")->type, NodeType::kWhiteout);
  EXPECT_EQ(t->Find("etc/.wh.gone"), nullptr);
  EXPECT_TRUE(t->Find("var")->implicit);
  EXPECT_TRUE(t->Find("var/lib")->implicit);
  EXPECT_TRUE(t->Find("var/lib")->opaque);
  EXPECT_EQ(t->Find("var/lib/y")->type, NodeType::kHardlink);
  EXPECT_EQ(t->Find("var/lib/y")->link, "var/lib/x");
  EXPECT_TRUE(t->root_opaque);
  EXPECT_EQ(t->Find(""), nullptr);
}

TEST(LayerTree, ListedDirectoryReplacesItsImplicitPlaceholder) {
  ExpectedTreeBuilder b;
  ASSERT_TRUE(b.Add(E("a/b")).ok());
  TarEntry d = E("a/", '5');
  d.mode = 0700;
  ASSERT_TRUE(b.Add(d).ok());
  auto t = std::move(b).Finish();
  EXPECT_FALSE(t->Find("a")->implicit);
  EXPECT_EQ(t->Find("a")->mode, 0700u);
}

TEST(LayerTree, RefusesWhatNoUnpackerProduces) {
  {
    ExpectedTreeBuilder b;
    ASSERT_TRUE(b.Add(E("a")).ok());
    EXPECT_EQ(b.Add(E("a")).error().kind(), ErrorKind::kUnsupported);
  }
  {
    ExpectedTreeBuilder b;
    ASSERT_TRUE(b.Add(E("a")).ok());
    EXPECT_FALSE(b.Add(E(".wh.a")).ok());
  }
  {
    ExpectedTreeBuilder b;
    EXPECT_FALSE(b.Add(E("l", '1', "missing")).ok());
  }
  {
    ExpectedTreeBuilder b;
    EXPECT_FALSE(b.Add(E("x/.wh..wh.plnk")).ok());
  }
  {
    ExpectedTreeBuilder b;
    ASSERT_TRUE(b.Add(E("f")).ok());
    EXPECT_FALSE(b.Add(E("f/g")).ok());
  }
  {
    ExpectedTreeBuilder b;
    EXPECT_EQ(b.Add(E("../evil")).error().kind(), ErrorKind::kUnsafePath);
    EXPECT_EQ(b.Add(E("/evil")).error().kind(), ErrorKind::kUnsafePath);
    EXPECT_FALSE(b.Add(E("d/.wh.")).ok());
  }
}

}  // namespace
}  // namespace verified::content
