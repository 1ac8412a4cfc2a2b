#include "install/containerd_config.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace verified::install {
namespace {

// Debian 12's /etc/containerd/config.toml as containerd 1.6.20~ds1-1+deb12u3 ships it (the
// conffile, md5 773cf1c5a249197a8ef37a08ac168414): it names no runtime.
std::string DebianStockConfig() {
  std::ifstream in(std::string(VERIFIED_SOURCE_DIR) +
                   "/tests/fixtures/containerd/debian-12-config.toml");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kRuncTable =
    "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n"
    "  runtime_type = \"io.containerd.runc.v2\"\n";

// An excerpt of `containerd config default` (containerd 1.6), kubelet-style systemd cgroups.
const char* kDefault = R"(disabled_plugins = []
root = "/var/lib/containerd"
state = "/run/containerd"
version = 2

[plugins]

  [plugins."io.containerd.grpc.v1.cri"]
    sandbox_image = "registry.k8s.io/pause:3.6"

    [plugins."io.containerd.grpc.v1.cri".containerd]
      default_runtime_name = "runc"
      snapshotter = "overlayfs"

      [plugins."io.containerd.grpc.v1.cri".containerd.runtimes]

        [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
          runtime_type = "io.containerd.runc.v2"

          [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
            BinaryName = ""
            SystemdCgroup = true   # kubelet uses the systemd driver
)";

ContainerdRuntimeEntry Entry() {
  ContainerdRuntimeEntry e;
  e.runtime_path = "/usr/local/bin/verified-runtime";
  return e;
}

TEST(ContainerdConfig, MergesIntoTheDefaultConfigAndUnmergesExactly) {
  auto m = MergeContainerdConfig(kDefault, Entry());
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_FALSE(m->added_builtin);  // the file defines runc itself
  const std::string& merged = m->text;
  EXPECT_EQ(merged.substr(0, std::string(kDefault).size()), kDefault);
  EXPECT_NE(merged.find("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified]\n"
                        "  runtime_type = \"io.containerd.runc.v2\"\n"
                        "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified."
                        "options]\n"
                        "  BinaryName = \"/usr/local/bin/verified-runtime\"\n"
                        "  SystemdCgroup = true\n"),
            std::string::npos)
      << merged;
  auto again = MergeContainerdConfig(merged, Entry());  // reinstall replaces the block
  ASSERT_TRUE(again.ok()) << again.error().What();
  EXPECT_EQ(again->text, merged);
  auto back = UnmergeContainerdConfig(merged, "verified");
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_EQ(*back, kDefault);
  EXPECT_EQ(UnmergeContainerdConfig(kDefault, "verified").error().kind(), ErrorKind::kNotFound);
}

TEST(ContainerdConfig, NewFileAndOtherVersions) {
  auto fresh = MergeContainerdConfig("", Entry());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->text.rfind("version = 2\n", 0), 0u);
  EXPECT_EQ(fresh->text.find("SystemdCgroup"), std::string::npos);
  EXPECT_NE(fresh->text.find(kRuncTable), std::string::npos) << fresh->text;
  auto v3 = MergeContainerdConfig("version = 3\n", Entry());
  ASSERT_TRUE(v3.ok());
  EXPECT_NE(
      v3->text.find("[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.verified]"),
      std::string::npos);
  EXPECT_NE(v3->text.find("[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.runc]"),
            std::string::npos);
  auto v1 = MergeContainerdConfig("root = \"/x\"\n", Entry());
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(v1->text.find("[plugins.cri.containerd.runtimes.verified]"), std::string::npos);
  EXPECT_NE(v1->text.find("[plugins.cri.containerd.runtimes.runc]"), std::string::npos);
  EXPECT_EQ(ContainerdConfigVersion("version = 4\n").error().kind(), ErrorKind::kUnsupported);
  EXPECT_EQ(*ContainerdConfigVersion("# version = 3\nversion=2 # two\n"), 2);
  EXPECT_EQ(*ContainerdConfigVersion("[x]\nversion = 3\n"), 1);
}

TEST(ContainerdConfig, RefusesToClobberAnExistingRuntime) {
  for (const char* existing : {
           "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified]\n"
           "  runtime_type = \"x\"\n",
           "version = 2\n[ plugins . 'io.containerd.grpc.v1.cri' . containerd.runtimes."
           "\"verified\".options ]\n",
           "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes]\n"
           "  verified = { runtime_type = \"x\" }\n",
           "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n"
           "  runtimes = { runc = { runtime_type = \"io.containerd.runc.v2\" } }\n",
           "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\"]\n"
           "  containerd.runtimes.verified.runtime_type = \"x\"\n",
       }) {
    auto r = MergeContainerdConfig(existing, Entry());
    ASSERT_FALSE(r.ok()) << existing;
    EXPECT_EQ(r.error().kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(r.error().What().find("line "), std::string::npos) << r.error().What();
  }
  // Neighbours are fine: another runtime, a runtime whose name merely starts the same way.
  EXPECT_TRUE(MergeContainerdConfig(
                  "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes."
                  "verified2]\n  runtime_type = \"x\"\n",
                  Entry())
                  .ok());
}

// Debian's stock file names no runtime: containerd's CRI plugin falls back on its built-in
// "runc", which our runtimes table would replace ("no corresponding runtime configured in
// containerd.runtimes for containerd default_runtime_name = \"runc\"": every pod fails).
TEST(ContainerdConfig, DebianStockFileKeepsTheBuiltInDefaultRuntime) {
  const std::string stock = DebianStockConfig();
  ASSERT_NE(stock.find("[plugins.\"io.containerd.grpc.v1.cri\".cni]"), std::string::npos);
  auto m = MergeContainerdConfig(stock, Entry());
  ASSERT_TRUE(m.ok()) << m.error().What();
  EXPECT_TRUE(m->added_builtin);
  EXPECT_EQ(m->text.substr(0, stock.size()), stock);
  const std::string block = m->text.substr(stock.size());
  EXPECT_EQ(block.rfind("\n# BEGIN verified runtime (verifiedctl install containerd)\n", 0), 0u)
      << block;
  size_t runc = block.find(kRuncTable);
  ASSERT_NE(runc, std::string::npos) << block;
  EXPECT_NE(block.find("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified]\n"
                       "  runtime_type = \"io.containerd.runc.v2\"\n",
                       runc),
            std::string::npos)
      << block;
  EXPECT_EQ(block.find("SystemdCgroup"), std::string::npos);  // the built-in runc has none
  auto again = MergeContainerdConfig(m->text, Entry());
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->text, m->text);
  EXPECT_TRUE(again->added_builtin);
  auto back = UnmergeContainerdConfig(m->text, "verified");
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_EQ(*back, stock);
}

TEST(ContainerdConfig, BuiltInRuntimeOnlyWhenTheFileReliesOnIt) {
  const std::string cri = "version = 2\n[plugins.\"io.containerd.grpc.v1.cri\".containerd]\n";
  struct Case {
    std::string text;
    bool added;
  };
  for (const Case& c : std::vector<Case>{
           {cri, true},
           {cri + "  default_runtime_name = \"runc\"  # explicit\n", true},
           {cri + "  default_runtime_name = 'runc'\n", true},
           {cri + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes]\n", true},
           // Its own default: not ours to fix (containerd refused this file before us too).
           {cri + "  default_runtime_name = \"kata\"\n", false},
           // It names runtimes: the built-in map is already replaced.
           {cri + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.runc]\n", false},
           {cri + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.kata]\n", false},
           {cri + "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes]\n"
                  "  kata = { runtime_type = \"io.containerd.kata.v2\" }\n",
            false},
           {cri + "  runtimes.crun.runtime_type = \"io.containerd.runc.v2\"\n", false},
       }) {
    auto m = MergeContainerdConfig(c.text, Entry());
    ASSERT_TRUE(m.ok()) << c.text << m.error().What();
    EXPECT_EQ(m->added_builtin, c.added) << c.text;
    EXPECT_EQ(m->text.find(kRuncTable) != std::string::npos, c.added) << m->text;
  }
  ContainerdRuntimeEntry runc = Entry();
  runc.name = "runc";  // installed as the default runtime itself: nothing to add
  auto m = MergeContainerdConfig(cri, runc);
  ASSERT_TRUE(m.ok());
  EXPECT_FALSE(m->added_builtin);
}

// Whatever surrounds the block, uninstall gives back the very bytes install found.
TEST(ContainerdConfig, UnmergeRestoresTheOriginalBytes) {
  for (const char* original : {
           "version = 2\n[plugins]\n",
           "version = 2\n[plugins]\n\n",        // a trailing blank line
           "version = 2\n[plugins]\n\n\n\t\n",  // several, one with a tab
           "version = 2\n[plugins]",            // no final newline
           "version = 2\r\n[plugins]\r\n",      // CRLF
           "version = 2\n",
       }) {
    auto m = MergeContainerdConfig(original, Entry());
    ASSERT_TRUE(m.ok()) << original;
    EXPECT_EQ(m->text.substr(0, std::string(original).size()), original);
    auto again = MergeContainerdConfig(m->text, Entry());
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(again->text, m->text) << "reinstall changed the file";
    auto back = UnmergeContainerdConfig(m->text, "verified");
    ASSERT_TRUE(back.ok()) << original;
    EXPECT_EQ(*back, original);
  }
}

TEST(ContainerdConfig, CanonicalKeyPaths) {
  EXPECT_EQ(*CanonicalKeyPath(" a . 'b.c' . \"d\" "), "a.\"b.c\".d");
  EXPECT_EQ(*CanonicalKeyPath("plugins.'io.containerd.cri.v1.runtime'"),
            "plugins.\"io.containerd.cri.v1.runtime\"");
  EXPECT_FALSE(CanonicalKeyPath("a.'b").ok());
  EXPECT_FALSE(CanonicalKeyPath("a..b").ok());
}

TEST(ContainerdConfig, BrokenMarkersAreRefused) {
  auto merged = MergeContainerdConfig("version = 2\n", Entry());
  std::string cut = merged->text.substr(0, merged->text.find("# END"));
  EXPECT_FALSE(UnmergeContainerdConfig(cut, "verified").ok());
  EXPECT_FALSE(MergeContainerdConfig(cut, Entry()).ok());
}

}  // namespace
}  // namespace verified::install
