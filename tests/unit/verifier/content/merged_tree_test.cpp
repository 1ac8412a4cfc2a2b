#include "verifier/content/merged_tree.h"

#include <gtest/gtest.h>

#include "unit/verifier/content/layer_fixture.h"

namespace verified {
namespace {

using testing::LayerFixture;

std::vector<std::string> Paths(const MergedTree& t) {
  std::vector<std::string> out;
  for (const auto& [p, e] : t.entries()) out.push_back(p);
  return out;
}

TEST(MergedTree, UpperLayersHideLowerEntries) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "bin/app", "v1", 0755);
  f.File(l0, "etc/conf", "lower");
  f.File(l0, "data/x/y", "lower");
  f.File(l1, "etc/conf", "upper");
  f.File(l1, "data/x", "a file over a directory");
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok()) << t.error().What();
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"bin/app", "data/x", "etc/conf"}));
  EXPECT_EQ(t->Find("etc/conf")->layer, 1u);
  EXPECT_TRUE(t->Find("bin/app")->IsExecutable());
  auto conf = t->ReadFile("etc/conf", 100);
  ASSERT_TRUE(conf.ok());
  EXPECT_EQ(*conf, "upper");
}

TEST(MergedTree, DirectoryOverFileHidesTheFile) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "opt", "file");
  f.File(l1, "opt/inner", "x");
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"opt/inner"}));
}

TEST(MergedTree, OverlayWhiteoutDeletesFileAndSubtree) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "bin/sh", "shell", 0755);
  f.File(l0, "bin/ls", "ls", 0755);
  f.File(l0, "usr/lib/a", "a");
  f.File(l0, "usr/libexec", "b");
  if (!f.Whiteout(l1, "bin/sh") || !f.Whiteout(l1, "usr/lib")) {
    GTEST_SKIP() << "mknod of a whiteout needs CAP_MKNOD";
  }
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok()) << t.error().What();
  // usr/libexec shares the prefix "usr/lib" but is not beneath it.
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"bin/ls", "usr/libexec"}));
}

TEST(MergedTree, AufsWhiteoutsAndOpaqueMarker) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "bin/sh", "shell", 0755);
  f.File(l0, "etc/a", "a");
  f.File(l0, "etc/b", "b");
  f.File(l1, "bin/.wh.sh", "");
  f.File(l1, "etc/.wh..wh..opq", "");
  f.File(l1, "etc/c", "c");
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"etc/c"}));
}

TEST(MergedTree, OpaqueXattrHidesLowerContent) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "bin/sh", "shell", 0755);
  f.File(l1, "bin/app", "app", 0755);
  if (!f.OpaqueXattr(l1, "bin")) GTEST_SKIP() << "trusted xattrs unavailable here";
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"bin/app"}));
}

TEST(MergedTree, SymlinksAreRecordedNeverFollowed) {
  LayerFixture f;
  auto l0 = f.AddLayer();
  f.Symlink(l0, "escape", "/etc");  // would reach the host's /etc if followed
  f.Symlink(l0, "bin/sh", "busybox");
  auto t = MergedTree::Build(f.layers());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(Paths(*t), (std::vector<std::string>{"bin/sh", "escape"}));
  EXPECT_EQ(t->Find("escape")->link_target, "/etc");
  EXPECT_FALSE(t->ReadFile("escape", 100).ok());
}

TEST(MergedTree, ResolveFollowsImageSymlinksInsideTheRoot) {
  std::map<std::string, MergedEntry> e;
  auto link = [](std::string target) {
    MergedEntry m;
    m.mode = S_IFLNK | 0777;
    m.link_target = std::move(target);
    return m;
  };
  e["bin"] = link("usr/bin");
  e["lib"] = link("/usr/lib");
  e["up"] = link("../../../..");
  e["loop"] = link("loop");
  auto t = MergedTree::FromEntries(e, {});
  EXPECT_EQ(*t.Resolve("/bin/app"), "usr/bin/app");
  EXPECT_EQ(*t.Resolve("/lib/x/../y"), "usr/lib/y");
  EXPECT_EQ(*t.Resolve("/up/etc"), "etc");  // clamped at the root
  EXPECT_EQ(*t.Resolve("/"), "");
  EXPECT_EQ(*t.Resolve("//usr/./bin/"), "usr/bin");
  EXPECT_FALSE(t.Resolve("/loop/x").ok());
}

TEST(MergedTree, LimitsAreEnforced) {
  LayerFixture f;
  auto l0 = f.AddLayer();
  for (int i = 0; i < 20; ++i) f.File(l0, "d/f" + std::to_string(i), "x");
  MergeLimits small;
  small.max_entries = 10;
  auto t = MergedTree::Build(f.layers(), small);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().kind(), ErrorKind::kTooLarge);
  std::string deep = "a";
  for (int i = 0; i < 10; ++i) deep += "/a";
  f.File(l0, deep + "/f", "x");
  MergeLimits shallow;
  shallow.max_depth = 5;
  auto t2 = MergedTree::Build(f.layers(), shallow);
  ASSERT_FALSE(t2.ok());
  EXPECT_NE(t2.error().What().find("nested deeper than 5"), std::string::npos);
}

TEST(MergedTree, NoLayersIsAnError) {
  EXPECT_EQ(MergedTree::Build({}).error().kind(), ErrorKind::kNotFound);
  LayerLocation missing;
  missing.diff_dir = "/nonexistent/verified-test";
  EXPECT_FALSE(MergedTree::Build({missing}).ok());
}

}  // namespace
}  // namespace verified
