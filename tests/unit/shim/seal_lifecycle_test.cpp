#include "shim/seal_lifecycle.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "unit/support/temp_dir.h"
#include "verifier/decision/ns_join.h"
#include "verifier/seal/seal_index.h"
#include "verifier/seal/seal_record.h"

namespace verified::shim {
namespace {

std::string NsName(const std::string& file) {
  struct stat st;
  EXPECT_EQ(stat(("/proc/" + std::to_string(getpid()) + "/ns/" + file).c_str(), &st), 0);
  return NsEntryName(FileKey{static_cast<uint64_t>(st.st_dev), static_cast<uint64_t>(st.st_ino)});
}

class SealLifecycle : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = t_ / "runc";
    seals_ = t_ / "seals";
    SealRecord r;
    r.container_id = "s1";
    r.image = "sealed:1";
    r.rule = "rule 1 'sealed'";
    r.namespaces = {"pid", "ipc", "network"};
    ASSERT_TRUE(WriteSealRecord(root_, r).ok());
  }
  // runc's state of s1, whose init process is `pid`.
  void State(long pid) {
    std::filesystem::create_directories(root_ + "/s1");
    std::ofstream(root_ + "/s1/state.json") << R"({"init_process_pid":)" << pid << "}";
  }
  std::optional<std::string> Guard(std::vector<std::string> tail) {
    std::vector<std::string> a = {"--root", root_};
    a.insert(a.end(), tail.begin(), tail.end());
    auto cl = ParseRuncGlobals(a);
    EXPECT_TRUE(cl.ok());
    return GuardSealLifecycle(a, *cl, seals_);
  }
  testing::TempDir t_;
  std::string root_, seals_;
};

TEST_F(SealLifecycle, CheckpointOfASealedContainerIsRefused) {
  auto r = Guard({"checkpoint", "--image-path", t_ / "img", "--leave-running", "s1"});
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(*r,
            "verified: refused checkpoint of container s1: it runs sealed image sealed:1, sealed "
            "by rule 1 'sealed': a checkpoint writes the sealed process's memory to a directory "
            "of the caller's choosing");
  // Whatever flags come between, and flags after the id.
  EXPECT_TRUE(Guard({"checkpoint", "s1", "--image-path", "/x"}).has_value());
  EXPECT_TRUE(Guard({"checkpoint", "--work-path", "/w", "--page-server", "h:1", "s1"}));
  EXPECT_FALSE(Guard({"checkpoint", "--image-path", t_ / "img", "other"}).has_value());
  EXPECT_FALSE(Guard({"checkpoint", "--help"}).has_value());
  // An untrusted seal record refuses.
  chmod(SealRecordPath(root_, "s1").c_str(), 0666);
  EXPECT_TRUE(Guard({"checkpoint", "s1"}).has_value());
}

TEST_F(SealLifecycle, AuditSealsAreNotRefused) {
  SealRecord r = **ReadSealRecord(root_, "s1");
  r.mode = "audit";
  ASSERT_TRUE(WriteSealRecord(root_, r).ok());
  EXPECT_FALSE(Guard({"checkpoint", "s1"}).has_value());
}

TEST_F(SealLifecycle, StartIndexesTheNamespacesTheContainerCreated) {
  State(getpid());
  EXPECT_FALSE(Guard({"start", "s1"}).has_value());
  for (const char* file : {"pid", "ipc", "net"}) {
    auto e = ReadSealEntry(seals_, NsName(file));
    ASSERT_TRUE(e.ok() && e->has_value()) << file;
    EXPECT_EQ((*e)->container_id, "s1");
    EXPECT_EQ((*e)->runc_root, root_);
    EXPECT_EQ((*e)->init_pid, getpid());
    EXPECT_TRUE(SealEntryLive(NsName(file), **e, 600));
  }
  EXPECT_FALSE(ReadSealEntry(seals_, NsName("uts"))->has_value());  // not its own
  auto rec = ReadSealRecord(root_, "s1");
  EXPECT_EQ((*rec)->index_entries.size(), 3u);
  // Now any path to its network namespace is refused, bind mounts included.
  EXPECT_TRUE(JoinsSealedNamespace({{"network", "/proc/self/ns/net"}}, seals_).has_value());
  // An unsealed container's start writes nothing.
  EXPECT_FALSE(Guard({"start", "u1"}).has_value());
}

TEST_F(SealLifecycle, StartThatCannotIndexIsRefused) {
  auto r = Guard({"start", "s1"});  // no runc state: no init process to read
  ASSERT_TRUE(r.has_value());
  EXPECT_NE(r->find("verified: refused start of container s1 (sealed image sealed:1): cannot "
                    "record its namespaces in the seal index"),
            std::string::npos);
  State(getpid());
  std::filesystem::create_directories(seals_);
  chmod(seals_.c_str(), 0777);
  EXPECT_TRUE(Guard({"start", "s1"}).has_value());
}

TEST_F(SealLifecycle, DeleteDropsTheEntriesOfAStoppedContainerOnly) {
  State(getpid());
  ASSERT_FALSE(Guard({"start", "s1"}).has_value());
  EXPECT_FALSE(Guard({"delete", "--force", "s1"}).has_value());
  EXPECT_TRUE(ReadSealEntry(seals_, NsName("pid"))->has_value());  // still running
  pid_t child = fork();
  if (child == 0) _exit(0);
  waitpid(child, nullptr, 0);
  State(child);  // its init is gone
  EXPECT_FALSE(Guard({"delete", "s1"}).has_value());
  EXPECT_FALSE(ReadSealEntry(seals_, NsName("pid"))->has_value());
  EXPECT_FALSE(ReadSealEntry(seals_, NsName("net"))->has_value());
}

}  // namespace
}  // namespace verified::shim
