#include "verifier/content/shell_scan.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/verifier/content/layer_fixture.h"

namespace verified {
namespace {

using testing::LayerFixture;

std::string ShellTable(const std::vector<std::string>& names) {
  std::string t(1, '\0');
  for (const auto& n : names) t += n + '\0';
  return t;
}

const std::string kFakeBusyBox =
    std::string(
        "\x7f"
        "ELF") +
    "BusyBox v1.36.1" + ShellTable({"[", "[[", "ash", "cat", "echo", "ls", "sh", "true", "uname"});

TEST(ShellNames, MatchExactly) {
  EXPECT_TRUE(IsShellName("sh"));
  EXPECT_TRUE(IsShellName("bash"));
  EXPECT_TRUE(IsShellName("fish"));
  EXPECT_FALSE(IsShellName("shred"));
  EXPECT_FALSE(IsShellName("sh.bak"));
  EXPECT_TRUE(MatchesInterpreter("python3.11", "python"));
  EXPECT_TRUE(MatchesInterpreter("python", "python"));
  EXPECT_TRUE(MatchesInterpreter("perl5.36.0", "perl"));
  EXPECT_FALSE(MatchesInterpreter("pythonista", "python"));
  EXPECT_FALSE(MatchesInterpreter("node", "nodejs"));
}

TEST(FindShells, ByNameByContentAndRespectingDeletion) {
  LayerFixture f;
  auto l0 = f.AddLayer(), l1 = f.AddLayer();
  f.File(l0, "bin/busybox", kFakeBusyBox, 0755);
  f.Symlink(l0, "bin/sh", "busybox");
  f.File(l0, "usr/local/bin/helper", kFakeBusyBox, 0755);  // renamed: caught by content
  f.File(l0, "opt/bash", "#!/bin/false\n", 0644);          // by name, whatever its mode
  f.File(l0, "usr/bin/python3.11",
         "\x7f"
         "ELF python",
         0755);
  f.File(l0, "app/server",
         "\x7f"
         "ELF a server",
         0755);
  f.File(l0, "old/dash", "dash", 0755);
  f.File(l1, "old/.wh.dash", "");  // deleted in the upper layer
  ShellScanOptions opts;
  opts.interpreters = {"python"};
  auto tree = MergedTree::Build(f.layers());
  ASSERT_TRUE(tree.ok());
  auto hits = FindShells(*tree, opts);
  ASSERT_TRUE(hits.ok()) << hits.error().What();
  std::vector<std::string> paths;
  for (const auto& h : *hits) paths.push_back(h.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/bin/busybox", "/bin/sh", "/opt/bash",
                                             "/usr/bin/python3.11", "/usr/local/bin/helper"}));
  EXPECT_EQ((*hits)[0].detail, "BusyBox multi-call binary with the shell applets ash, sh");
  EXPECT_EQ((*hits)[1].detail, "shell name, symlink to busybox");
  EXPECT_EQ((*hits)[3].detail, "interpreter 'python' listed in the policy");
}

TEST(FindShells, CleanImagePasses) {
  LayerFixture f;
  auto l0 = f.AddLayer();
  f.File(l0, "app/server",
         "\x7f"
         "ELF a server",
         0755);
  f.File(l0, "etc/shells", "/bin/sh\n");
  auto tree = MergedTree::Build(f.layers());
  ASSERT_TRUE(tree.ok());
  auto hits = FindShells(*tree, {});
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
}

TEST(FindShells, OversizedExecutableCannotBeRuledOut) {
  LayerFixture f;
  auto l0 = f.AddLayer();
  f.File(l0, "app/big",
         "\x7f"
         "ELF" +
             std::string(5000, 'x'),
         0755);
  auto tree = MergedTree::Build(f.layers());
  ASSERT_TRUE(tree.ok());
  ShellScanOptions opts;
  opts.limits.max_file_bytes = 1000;
  auto hits = FindShells(*tree, opts);
  ASSERT_FALSE(hits.ok());
  EXPECT_EQ(hits.error().kind(), ErrorKind::kTooLarge);
  EXPECT_NE(hits.error().What().find("cannot rule out a shell in /app/big"), std::string::npos);
  opts.limits.max_file_bytes = 1 << 20;
  opts.limits.max_total_bytes = 100;
  EXPECT_FALSE(FindShells(*tree, opts).ok());
}

TEST(FindShells, RealBusyBoxUnderAnotherName) {
  if (access("/bin/busybox", R_OK) != 0) GTEST_SKIP() << "no /bin/busybox";
  LayerFixture f;
  auto l0 = f.AddLayer();
  f.Copy(l0, "usr/lib/x/helper", "/bin/busybox");
  auto tree = MergedTree::Build(f.layers());
  ASSERT_TRUE(tree.ok());
  auto hits = FindShells(*tree, {});
  ASSERT_TRUE(hits.ok());
  ASSERT_EQ(hits->size(), 1u);
  EXPECT_EQ((*hits)[0].path, "/usr/lib/x/helper");
  EXPECT_NE((*hits)[0].detail.find("BusyBox"), std::string::npos);
}

}  // namespace
}  // namespace verified
