#include "verifier/seal/seal_record.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace verified {
namespace {

class SealRecords : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vfy-seal.XXXXXX";
    base_ = mkdtemp(tmpl);
    root_ = base_ + "/runc-root";  // created by WriteSealRecord, as runc would
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  SealRecord Record(const std::string& id) {
    SealRecord r;
    r.container_id = id;
    r.image = "sealed:1";
    r.image_id = "sha256:" + std::string(64, 'a');
    r.rule = "rule 1 'sealed'";
    r.sealed_at = "2026-01-01T00:00:00Z";
    r.namespaces = {"pid", "mount"};
    return r;
  }
  std::string base_, root_;
};

TEST_F(SealRecords, WriteThenReadBack) {
  ASSERT_TRUE(WriteSealRecord(root_, Record("c1")).ok());
  struct stat st;
  ASSERT_EQ(stat(SealRecordPath(root_, "c1").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(root_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_FALSE(std::filesystem::exists(root_ + "/c1"));  // runc's own directory is untouched
  auto r = ReadSealRecord(root_, "c1");
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->image, "sealed:1");
  EXPECT_EQ((*r)->namespaces, (std::vector<std::string>{"pid", "mount"}));
  ASSERT_TRUE(RemoveSealRecord(root_, "c1").ok());
  EXPECT_FALSE(ReadSealRecord(root_, "c1")->has_value());
  EXPECT_TRUE(RemoveSealRecord(root_, "c1").ok());
}

TEST_F(SealRecords, AbsentRootOrRecordMeansUnsealed) {
  auto r = ReadSealRecord(base_ + "/nope", "c1");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->has_value());
  EXPECT_FALSE(ReadSealRecord(root_, "../etc/passwd")->has_value());
}

TEST_F(SealRecords, UntrustedRecordsAreErrors) {
  ASSERT_TRUE(WriteSealRecord(root_, Record("c1")).ok());
  chmod(SealRecordPath(root_, "c1").c_str(), 0666);
  auto r = ReadSealRecord(root_, "c1");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kPermission);
  std::filesystem::remove(SealRecordPath(root_, "c1"));
  std::filesystem::create_symlink("/etc/hostname", SealRecordPath(root_, "c1"));
  EXPECT_FALSE(ReadSealRecord(root_, "c1").ok());
  std::filesystem::remove(SealRecordPath(root_, "c1"));
  std::ofstream(SealRecordPath(root_, "c1")) << "{not json";
  chmod(SealRecordPath(root_, "c1").c_str(), 0600);
  EXPECT_EQ(ReadSealRecord(root_, "c1").error().kind(), ErrorKind::kParse);
  ASSERT_TRUE(WriteSealRecord(root_, Record("c2")).ok());
  std::filesystem::rename(SealRecordPath(root_, "c2"), SealRecordPath(root_, "c3"));
  EXPECT_EQ(ReadSealRecord(root_, "c3").error().kind(), ErrorKind::kInconsistent);
}

TEST_F(SealRecords, IndexEntriesRoundTrip) {
  SealRecord r = Record("c1");
  r.index_entries = {"root-1-2", "ns-3-4"};
  auto back = ParseSealRecord(FormatSealRecord(r));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->index_entries, r.index_entries);
  EXPECT_FALSE(ParseSealRecord(R"({"container_id":"x","index_entries":[1]})").ok());
}

TEST_F(SealRecords, ParseIsStrict) {
  EXPECT_TRUE(ParseSealRecord(FormatSealRecord(Record("x"))).ok());
  EXPECT_FALSE(ParseSealRecord(R"({"container_id":""})").ok());
  EXPECT_FALSE(ParseSealRecord(R"({"container_id":"x","mode":"lenient"})").ok());
  EXPECT_FALSE(ParseSealRecord(R"({"container_id":"x","namespaces":"pid"})").ok());
  EXPECT_FALSE(ParseSealRecord(R"([])").ok());
  EXPECT_FALSE(ParseSealRecord(std::string(kMaxSealRecordBytes + 1, ' ')).ok());
}

TEST_F(SealRecords, SweepRemovesOnlyOldRecordsOfGoneContainers) {
  for (const char* id : {"gone-old", "gone-new", "alive-old"}) {
    ASSERT_TRUE(WriteSealRecord(root_, Record(id)).ok());
  }
  std::filesystem::create_directories(root_ + "/alive-old");
  struct timeval old[2] = {{time(nullptr) - 3600, 0}, {time(nullptr) - 3600, 0}};
  utimes(SealRecordPath(root_, "gone-old").c_str(), old);
  utimes(SealRecordPath(root_, "alive-old").c_str(), old);
  EXPECT_EQ(SweepStaleSealRecords(root_, 600), 1u);
  EXPECT_FALSE(std::filesystem::exists(SealRecordPath(root_, "gone-old")));
  EXPECT_TRUE(std::filesystem::exists(SealRecordPath(root_, "gone-new")));
  EXPECT_TRUE(std::filesystem::exists(SealRecordPath(root_, "alive-old")));
}

}  // namespace
}  // namespace verified
