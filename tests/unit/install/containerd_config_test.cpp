#include "install/containerd_config.h"

#include <gtest/gtest.h>

namespace verified::install {
namespace {

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
  auto merged = MergeContainerdConfig(kDefault, Entry());
  ASSERT_TRUE(merged.ok()) << merged.error().What();
  EXPECT_EQ(merged->substr(0, std::string(kDefault).size()), kDefault);
  EXPECT_NE(merged->find("[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified]\n"
                         "  runtime_type = \"io.containerd.runc.v2\"\n"
                         "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes.verified."
                         "options]\n"
                         "  BinaryName = \"/usr/local/bin/verified-runtime\"\n"
                         "  SystemdCgroup = true\n"),
            std::string::npos)
      << *merged;
  auto again = MergeContainerdConfig(*merged, Entry());  // reinstall replaces the block
  ASSERT_TRUE(again.ok()) << again.error().What();
  EXPECT_EQ(*again, *merged);
  auto back = UnmergeContainerdConfig(*merged, "verified");
  ASSERT_TRUE(back.ok()) << back.error().What();
  EXPECT_EQ(*back, kDefault);
  EXPECT_EQ(UnmergeContainerdConfig(kDefault, "verified").error().kind(), ErrorKind::kNotFound);
}

TEST(ContainerdConfig, NewFileAndOtherVersions) {
  auto fresh = MergeContainerdConfig("", Entry());
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(fresh->rfind("version = 2\n", 0), 0u);
  EXPECT_EQ(fresh->find("SystemdCgroup"), std::string::npos);
  auto v3 = MergeContainerdConfig("version = 3\n", Entry());
  ASSERT_TRUE(v3.ok());
  EXPECT_NE(v3->find("[plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes.verified]"),
            std::string::npos);
  auto v1 = MergeContainerdConfig("root = \"/x\"\n", Entry());
  ASSERT_TRUE(v1.ok());
  EXPECT_NE(v1->find("[plugins.cri.containerd.runtimes.verified]"), std::string::npos);
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

TEST(ContainerdConfig, CanonicalKeyPaths) {
  EXPECT_EQ(*CanonicalKeyPath(" a . 'b.c' . \"d\" "), "a.\"b.c\".d");
  EXPECT_EQ(*CanonicalKeyPath("plugins.'io.containerd.cri.v1.runtime'"),
            "plugins.\"io.containerd.cri.v1.runtime\"");
  EXPECT_FALSE(CanonicalKeyPath("a.'b").ok());
  EXPECT_FALSE(CanonicalKeyPath("a..b").ok());
}

TEST(ContainerdConfig, BrokenMarkersAreRefused) {
  auto merged = MergeContainerdConfig("version = 2\n", Entry());
  std::string cut = merged->substr(0, merged->find("# END"));
  EXPECT_FALSE(UnmergeContainerdConfig(cut, "verified").ok());
  EXPECT_FALSE(MergeContainerdConfig(cut, Entry()).ok());
}

}  // namespace
}  // namespace verified::install
