#include "ctl/engines/storage_conf.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace verified::ctl {
namespace {

TEST(StorageConf, ReadsTheStorageTable) {
  auto loc = ParseStorageConf(R"(# storage.conf
[storage]
  driver = "overlay"   # comment
  runroot = '/run/containers/storage'
graphroot = "/srv/containers/storage"

[storage.options]
additionalimagestores = [
  "/usr/lib/containers/storage",
]
graphroot = "/not/this/table"

[storage.options.overlay]
mountopt = "nodev,metacopy=on"
)",
                              "storage.conf");
  ASSERT_TRUE(loc.ok()) << loc.error().What();
  EXPECT_EQ(loc->graphroot, "/srv/containers/storage");
  EXPECT_EQ(loc->runroot, "/run/containers/storage");
  EXPECT_EQ(loc->driver, "overlay");
}

TEST(StorageConf, RefusesWhatItCannotReadWithCertainty) {
  EXPECT_FALSE(ParseStorageConf("[storage]\ngraphroot = 3\n", "s").ok());
  EXPECT_FALSE(ParseStorageConf("[storage]\ngraphroot = \"/a\n", "s").ok());
  EXPECT_FALSE(ParseStorageConf("[storage]\ngraphroot = \"/a\"\ngraphroot = \"/b\"\n", "s").ok());
  EXPECT_FALSE(ParseStorageConf("[storage\n", "s").ok());
  auto esc = ParseStorageConf("[storage]\ngraphroot = \"/a\\\\b\\\"c\"\n", "s");
  ASSERT_TRUE(esc.ok());
  EXPECT_EQ(esc->graphroot, "/a\\b\"c");
}

TEST(StorageConf, LookupOrderIsPodmans) {
  char tmpl[] = "/tmp/vfy-storageconf.XXXXXX";
  std::string dir = mkdtemp(tmpl);
  std::string etc = dir + "/etc.conf", usr = dir + "/usr.conf", env = dir + "/env.conf";
  std::ofstream(usr) << "[storage]\ngraphroot = \"/usr-root\"\n";
  auto loc = FindPodmanStorage("", "", "", etc, usr);
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->graphroot, "/usr-root");
  std::ofstream(etc) << "[storage]\ndriver = \"overlay\"\n";
  loc = FindPodmanStorage("", "", "", etc, usr);
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->graphroot, kDefaultGraphRoot);  // /etc wins and sets no graphroot
  std::ofstream(env) << "[storage]\ngraphroot = \"/env-root\"\nrunroot = \"/env-run\"\n";
  loc = FindPodmanStorage("", "", env, etc, usr);
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->graphroot, "/env-root");
  EXPECT_EQ(loc->runroot, "/env-run");
  loc = FindPodmanStorage("/flag-root", "/flag-run", env, etc, usr);
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->graphroot, "/flag-root");
  EXPECT_EQ(loc->runroot, "/flag-run");
  EXPECT_EQ(loc->source, "--root");
  EXPECT_FALSE(FindPodmanStorage("", "", dir + "/missing.conf", etc, usr).ok());
  std::ofstream(etc) << "[storage]\ndriver = \"vfs\"\n";
  EXPECT_FALSE(FindPodmanStorage("", "", "", etc, usr).ok());
  loc = FindPodmanStorage("", "", "", dir + "/none1", dir + "/none2");
  ASSERT_TRUE(loc.ok());
  EXPECT_EQ(loc->graphroot, kDefaultGraphRoot);
  EXPECT_EQ(loc->source, "default");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace verified::ctl
