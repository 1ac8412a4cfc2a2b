#include "install/engine_drop_in.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace verified::install {
namespace {

namespace fs = std::filesystem;

class DropInTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-dropin-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
    path_ = dir_ + "/containers.conf.d/verified.conf";
    backups_ = dir_ + "/cfg/backups";
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Read(const std::string& p) {
    std::ifstream f(p);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
  }
  void Put(const std::string& p, const std::string& text) {
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p) << text;
  }
  std::string dir_, path_, backups_;
};

TEST(DropInText, Podman) {
  RuntimeDropIn d;
  auto t = PodmanDropInText(d);
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t->find("\n[engine.runtimes]\nverified = [\"/usr/local/bin/verified-runtime\"]\n"),
            std::string::npos)
      << *t;
  EXPECT_EQ(t->find("[engine]\n"), std::string::npos);
  d.set_default = true;
  EXPECT_NE(PodmanDropInText(d)->find("[engine]\nruntime = \"verified\"\n"), std::string::npos);
}

TEST(DropInText, Crio) {
  RuntimeDropIn d;
  auto t = CrioDropInText(d);
  ASSERT_TRUE(t.ok());
  EXPECT_NE(t->find("[crio.runtime.runtimes.verified]\n"
                    "runtime_path = \"/usr/local/bin/verified-runtime\"\n"
                    "runtime_type = \"oci\"\n"
                    "runtime_root = \"/run/verified-runc\"\n"),
            std::string::npos)
      << *t;
  EXPECT_EQ(t->find("monitor_env"), std::string::npos);
  d.config_dir = "/etc/verified-prod";
  EXPECT_NE(CrioDropInText(d)->find("\"VERIFIED_CONFIG_DIR=/etc/verified-prod\"]"),
            std::string::npos);
}

TEST(DropInText, RefusesBadValuesAndEscapes) {
  RuntimeDropIn d;
  d.name = "Verified]\nx";
  EXPECT_FALSE(PodmanDropInText(d).ok());
  d.name = "verified";
  d.runtime_path = "relative/path";
  EXPECT_FALSE(CrioDropInText(d).ok());
  EXPECT_EQ(TomlQuote("a\"b\\c\x01"), "\"a\\\"b\\\\c\\u0001\"");
}

TEST_F(DropInTest, WriteThenRemoveLeavesNothing) {
  nlohmann::ordered_json state;
  auto b = WriteDropIn(path_, "ours\n", backups_, state);
  ASSERT_TRUE(b.ok()) << b.error().What();
  EXPECT_EQ(*b, "");
  EXPECT_EQ(Read(path_), "ours\n");
  auto done = RemoveDropIn(state, backups_);
  ASSERT_TRUE(done.ok()) << done.error().What();
  EXPECT_FALSE(fs::exists(path_));
}

TEST_F(DropInTest, ForeignFileIsBackedUpOutsideTheDropInDirAndRestored) {
  Put(path_, "admin\n");
  nlohmann::ordered_json state;
  auto b = WriteDropIn(path_, "ours\n", backups_, state);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(fs::path(*b).parent_path(), backups_);
  EXPECT_EQ(Read(*b), "admin\n");
  // Reinstalling with other settings keeps the original backup and makes no new copy.
  auto b2 = WriteDropIn(path_, "ours v2\n", backups_, state);
  ASSERT_TRUE(b2.ok());
  EXPECT_EQ(*b2, "");
  EXPECT_EQ(state["replaced_backup"], *b);
  ASSERT_TRUE(RemoveDropIn(state, backups_).ok());
  EXPECT_EQ(Read(path_), "admin\n");
  EXPECT_EQ(
      std::distance(fs::directory_iterator(dir_ + "/containers.conf.d"), fs::directory_iterator{}),
      1);
}

TEST_F(DropInTest, EditedDropInIsKeptOnUninstall) {
  nlohmann::ordered_json state;
  ASSERT_TRUE(WriteDropIn(path_, "ours\n", backups_, state).ok());
  Put(path_, "ours\nedited\n");
  auto done = RemoveDropIn(state, backups_);
  ASSERT_TRUE(done.ok());
  EXPECT_FALSE(fs::exists(path_));
  ASSERT_EQ(std::distance(fs::directory_iterator(backups_), fs::directory_iterator{}), 1);
  EXPECT_EQ(Read(fs::directory_iterator(backups_)->path()), "ours\nedited\n");
}

TEST_F(DropInTest, MissingBackupChangesNothing) {
  Put(path_, "admin\n");
  nlohmann::ordered_json state;
  auto b = WriteDropIn(path_, "ours\n", backups_, state);
  ASSERT_TRUE(b.ok());
  fs::remove(*b);
  EXPECT_FALSE(RemoveDropIn(state, backups_).ok());
  EXPECT_EQ(Read(path_), "ours\n");
}

TEST(DropInText, CrioPassesANonDefaultStateDir) {
  RuntimeDropIn d;
  d.state_dir = "/srv/state";
  EXPECT_NE(CrioDropInText(d)->find("\"VERIFIED_STATE_DIR=/srv/state\"]"), std::string::npos)
      << *CrioDropInText(d);
  EXPECT_EQ(CrioDropInText(RuntimeDropIn{})->find("VERIFIED_STATE_DIR"), std::string::npos);
}

}  // namespace
}  // namespace verified::install
