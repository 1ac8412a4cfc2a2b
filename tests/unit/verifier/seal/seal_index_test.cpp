#include "verifier/seal/seal_index.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "unit/support/temp_dir.h"

namespace verified {
namespace {

SealEntry Entry(const std::string& id) {
  SealEntry e;
  e.container_id = id;
  e.runc_root = "/run/runc";
  e.image = "sealed:1";
  e.image_id = "sha256:" + std::string(64, 'a');
  e.rule = "rule 1 'sealed'";
  e.namespaces = {"pid", "ipc"};
  e.ns_type = "pid";
  e.init_pid = 42;
  e.written_at = 1700000000;
  return e;
}

TEST(SealIndex, NamesAreKeyedByFileIdentity) {
  EXPECT_EQ(RootEntryName(FileKey{2049, 17}), "root-2049-17");
  EXPECT_EQ(NsEntryName(FileKey{4, 4026531836}), "ns-4-4026531836");
}

TEST(SealIndex, WriteThenReadBack) {
  testing::TempDir t;
  std::string dir = t / "seals";  // created by the first write, 0700
  ASSERT_TRUE(WriteSealEntry(dir, "ns-4-99", Entry("c1")).ok());
  struct stat st;
  ASSERT_EQ(stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  ASSERT_EQ(stat((dir + "/ns-4-99").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto e = ReadSealEntry(dir, "ns-4-99");
  ASSERT_TRUE(e.ok()) << e.error().What();
  ASSERT_TRUE(e->has_value());
  EXPECT_EQ((*e)->container_id, "c1");
  EXPECT_EQ((*e)->namespaces, (std::vector<std::string>{"pid", "ipc"}));
  EXPECT_EQ((*e)->init_pid, 42);
  EXPECT_EQ((*e)->written_at, 1700000000);
  ASSERT_TRUE(RemoveSealEntry(dir, "ns-4-99").ok());
  EXPECT_FALSE(ReadSealEntry(dir, "ns-4-99")->has_value());
  EXPECT_TRUE(RemoveSealEntry(dir, "ns-4-99").ok());
}

TEST(SealIndex, AbsentDirectoryOrEntryIsNoSeal) {
  testing::TempDir t;
  auto e = ReadSealEntry(t / "nope", "root-1-1");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(e->has_value());
  EXPECT_FALSE(ReadSealEntry(t.path(), "root-1-1")->has_value());
  EXPECT_FALSE(WriteSealEntry(t.path(), "../x", Entry("c")).ok());
  EXPECT_FALSE(WriteSealEntry(t.path(), "other-1-1", Entry("c")).ok());
}

TEST(SealIndex, UntrustedDirectoryOrEntryIsAnError) {
  testing::TempDir t;
  std::string dir = t / "seals";
  ASSERT_TRUE(WriteSealEntry(dir, "root-1-1", Entry("c1")).ok());
  chmod(dir.c_str(), 0777);  // anyone could delete a seal
  auto e = ReadSealEntry(dir, "root-1-1");
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().kind(), ErrorKind::kPermission);
  EXPECT_FALSE(ReadSealEntry(dir, "root-9-9").ok());  // even for a name that is absent
  EXPECT_FALSE(WriteSealEntry(dir, "root-1-2", Entry("c1")).ok());
  chmod(dir.c_str(), 0700);
  chmod((dir + "/root-1-1").c_str(), 0646);
  EXPECT_EQ(ReadSealEntry(dir, "root-1-1").error().kind(), ErrorKind::kPermission);
  std::filesystem::remove(dir + "/root-1-1");
  std::filesystem::create_symlink("/etc/hostname", dir + "/root-1-1");
  EXPECT_FALSE(ReadSealEntry(dir, "root-1-1").ok());
  std::filesystem::remove(dir + "/root-1-1");
  std::filesystem::create_directory(dir + "/root-1-1");
  EXPECT_FALSE(ReadSealEntry(dir, "root-1-1").ok());
}

TEST(SealIndex, ParseIsStrict) {
  EXPECT_TRUE(ParseSealEntry(FormatSealEntry(Entry("x"))).ok());
  EXPECT_FALSE(ParseSealEntry(R"({"container_id":"x"})").ok());  // no runc_root
  EXPECT_FALSE(ParseSealEntry(R"({"container_id":"x","runc_root":"/r","mode":"x"})").ok());
  EXPECT_FALSE(ParseSealEntry(R"({"container_id":"x","runc_root":"/r","init_pid":"1"})").ok());
  EXPECT_FALSE(ParseSealEntry(R"({"container_id":"x","runc_root":"/r","namespaces":"pid"})").ok());
  EXPECT_FALSE(ParseSealEntry("[]").ok());
  EXPECT_EQ(ParseSealEntry(std::string(kMaxSealEntryBytes + 1, ' ')).error().kind(),
            ErrorKind::kTooLarge);
}

// The lookup is by name: an index far larger than any listing cap still finds its entry.
TEST(SealIndex, LookupDoesNotDependOnHowManyEntriesThereAre) {
  testing::TempDir t;
  std::string dir = t / "seals";
  ASSERT_TRUE(WriteSealEntry(dir, "root-7-7", Entry("first")).ok());
  for (int i = 0; i < 5000; ++i) {
    std::ofstream(dir + "/root-1-" + std::to_string(i)) << FormatSealEntry(Entry("x"));
  }
  ASSERT_TRUE(WriteSealEntry(dir, "root-9-9", Entry("last")).ok());
  auto e = ReadSealEntry(dir, "root-9-9");
  ASSERT_TRUE(e.ok() && e->has_value());
  EXPECT_EQ((*e)->container_id, "last");
}

TEST(SealIndex, SweepRemovesOnlyOldDeadEntries) {
  testing::TempDir t;
  std::string dir = t / "seals";
  SealEntry old_dead = Entry("dead"), old_live = Entry("live"), fresh = Entry("dead");
  fresh.written_at = time(nullptr);
  ASSERT_TRUE(WriteSealEntry(dir, "root-1-1", old_dead).ok());
  ASSERT_TRUE(WriteSealEntry(dir, "root-1-2", old_live).ok());
  ASSERT_TRUE(WriteSealEntry(dir, "root-1-3", fresh).ok());
  auto live = [](const std::string&, const SealEntry& e) { return e.container_id == "live"; };
  EXPECT_EQ(SweepSealEntries(dir, 600, live), 1u);
  EXPECT_FALSE(std::filesystem::exists(dir + "/root-1-1"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/root-1-2"));
  EXPECT_TRUE(std::filesystem::exists(dir + "/root-1-3"));
}

}  // namespace
}  // namespace verified
