// Faults around verified-runtime itself: runc missing or not executable, the decision log on a
// full disk or in an unwritable directory, hostile container ids. Each run is a forked child
// running the runtime's main path on a really mounted container that the policy allows; the
// fake runc's canary file proves whether a container went ahead.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>

#include "unit/faults/fault_recorder.h"
#include "unit/faults/runtime_harness.h"
#include "verifier/seal/seal_record.h"

namespace verified::testing {
namespace {

constexpr const char* kRuncArea = "runtime: runc";
constexpr const char* kLogArea = "runtime: decision log";
constexpr const char* kIdArea = "runtime: container id";
constexpr const char* kSealArea = "seal records";

void Record(const char* area, const std::string& fault, const RuntimeRun& r, const RuntimeHost& h) {
  EXPECT_FALSE(r.ran_runc) << fault;
  EXPECT_NE(r.status, 0) << fault;
  RecordFault(area, fault,
              r.ran_runc || r.status == 0 ? FaultOutcome::kAllowed : FaultOutcome::kRefused,
              r.message, h.tmp.path());
}

class FaultsRuntime : public ::testing::Test {
 protected:
  void SetUp() override {
    // The child mounts the container's overlay in its own mount namespace: root only. Without
    // it these rows are missing and faults.table_is_current fails, so the skip is loud.
    if (geteuid() != 0) GTEST_SKIP() << "needs root (mount namespaces, overlay mounts)";
    // The positive control: the same host without the fault runs runc.
    RuntimeRun ok = host_.Create();
    ASSERT_EQ(ok.status, 0) << ok.message;
    ASSERT_TRUE(ok.ran_runc) << "the healthy host must run the fake runc: " << ok.message;
  }
  RuntimeHost host_;
};

TEST_F(FaultsRuntime, RuncMissing) {
  host_.Settings(host_.tmp / "bin/no-such-runc", host_.tmp / "log/decisions.log");
  Record(kRuncArea, "runtime.json names a runc that does not exist", host_.Create(), host_);
}

TEST_F(FaultsRuntime, RuncNotExecutable) {
  ASSERT_EQ(chmod(host_.fake_runc.c_str(), 0644), 0);
  Record(kRuncArea, "runc mode 0644 (not executable)", host_.Create(), host_);
}

TEST_F(FaultsRuntime, RuncIsADirectory) {
  MakeDir(host_.tmp / "bin/runc-dir");
  host_.Settings(host_.tmp / "bin/runc-dir", host_.tmp / "log/decisions.log");
  Record(kRuncArea, "runtime.json names a directory as runc", host_.Create(), host_);
}

TEST_F(FaultsRuntime, DecisionLogDiskFull) {
  std::string dir = host_.tmp / "fulllog";
  host_.Settings(host_.fake_runc, dir + "/decisions.log");
  RuntimeRun r = host_.Create("", {DirFault::kFullTmpfs, dir});
  Record(kLogArea, "decision log on a full 64 KiB tmpfs", r, host_);
}

TEST_F(FaultsRuntime, DecisionLogDirReadOnly) {
  std::string dir = host_.tmp / "rolog";
  host_.Settings(host_.fake_runc, dir + "/decisions.log");
  Record(kLogArea, "decision log directory on a read-only mount",
         host_.Create("", {DirFault::kReadOnly, dir}), host_);
}

TEST_F(FaultsRuntime, DecisionLogDirIsAFile) {
  WriteFile(host_.tmp / "notadir", "");
  host_.Settings(host_.fake_runc, host_.tmp / "notadir/decisions.log");
  Record(kLogArea, "decision log directory is a regular file", host_.Create(), host_);
}

TEST_F(FaultsRuntime, DecisionLogIsADirectory) {
  std::filesystem::remove(host_.tmp / "log/decisions.log");  // the control's log
  MakeDir(host_.tmp / "log/decisions.log");
  Record(kLogArea, "decision log path is a directory", host_.Create(), host_);
}

TEST_F(FaultsRuntime, IdWithSlash) {
  Record(kIdArea, "container id \"a/b\"", host_.Create("a/b"), host_);
}

TEST_F(FaultsRuntime, IdDotDot) {
  Record(kIdArea, "container id \"..\"", host_.Create(".."), host_);
}

TEST_F(FaultsRuntime, IdTraversal) {
  Record(kIdArea, "container id \"../../etc\"", host_.Create("../../etc"), host_);
}

TEST_F(FaultsRuntime, IdWithNul) {
  // execve cannot carry a NUL; the in-process argv can, so the parser sees it.
  Record(kIdArea, "container id \"abc\\0def\" (NUL inside, in-process argv)",
         host_.Create(std::string("abc\0def", 7)), host_);
}

TEST_F(FaultsRuntime, IdTenThousandChars) {
  Record(kIdArea, "container id of 10,000 characters", host_.Create(std::string(10000, 'a')),
         host_);
}

TEST_F(FaultsRuntime, IdSpace) {
  Record(kIdArea, "container id \" \" (a space)", host_.Create(" "), host_);
}

// Seal records: an exec into a container without a record goes ahead (the control); one whose
// record is damaged must not be taken for unsealed.
class FaultsSealRecord : public FaultsRuntime {
 protected:
  std::string RecordPath() const {
    return SealRecordPath(host_.tmp / "runc-root", host_.container.id);
  }
  std::string ValidRecord() const {
    SealRecord s;
    s.container_id = host_.container.id;
    s.image = "app:1";
    s.image_id = host_.image.image_id;
    s.rule = "rule 1 'app'";
    s.sealed_at = "2026-12-07T00:00:00Z";
    return FormatSealRecord(s);
  }
  RuntimeRun Exec() { return host_.Run({"exec", host_.container.id, "sh"}); }
  void ExpectExecWithoutRecordRuns() {
    RuntimeRun r = Exec();
    EXPECT_TRUE(r.ran_runc) << "an exec into an unsealed container must run: " << r.message;
  }
};

TEST_F(FaultsSealRecord, Truncated) {
  ExpectExecWithoutRecordRuns();
  std::string full = ValidRecord();
  WriteFile(RecordPath(), full.substr(0, full.size() / 2), 0600);
  Record(kSealArea, "seal record truncated to half (exec)", Exec(), host_);
}

TEST_F(FaultsSealRecord, Corrupted) {
  ExpectExecWithoutRecordRuns();
  std::string text = ValidRecord();
  size_t at = text.find("enforce");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 7, "enf0rce");
  WriteFile(RecordPath(), text, 0600);
  Record(kSealArea, "seal record with mode \"enf0rce\" (exec)", Exec(), host_);
}

TEST_F(FaultsSealRecord, Empty) {
  ExpectExecWithoutRecordRuns();
  WriteFile(RecordPath(), "", 0600);
  Record(kSealArea, "seal record empty (exec)", Exec(), host_);
}

TEST_F(FaultsSealRecord, WritableByOthers) {
  ExpectExecWithoutRecordRuns();
  WriteFile(RecordPath(), ValidRecord(), 0666);
  Record(kSealArea, "seal record mode 0666 (exec)", Exec(), host_);
}

}  // namespace
}  // namespace verified::testing
