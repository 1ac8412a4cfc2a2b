// The sandbox with real forked children: what a hostile or broken decision can and cannot do,
// and how each way of failing reaches the parent.
#include "shim/sandbox.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "unit/support/temp_dir.h"

namespace verified::shim {
namespace {

using testing::TempDir;

SandboxLimits Quick() {
  SandboxLimits l;
  l.timeout = std::chrono::milliseconds(5000);
  return l;
}

// "ok" or "errno N" for a call's result, so the child can report what the kernel said.
std::string Outcome(long rc) { return rc >= 0 ? "ok" : "errno " + std::to_string(errno); }

const std::string kEperm = "errno " + std::to_string(EPERM);

TEST(Sandbox, AnswerPassesThroughConfined) {
  SandboxRun run = RunSandboxed([] { return std::string("allow\n\x01 bytes"); }, Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  EXPECT_EQ(*run.answer, std::string("allow\n\x01 bytes"));
  EXPECT_EQ(run.failure, "");
  EXPECT_NE(run.confinement.find("no_new_privs"), std::string::npos) << run.confinement;
  EXPECT_NE(run.confinement.find("seccomp"), std::string::npos) << run.confinement;
  if (LandlockAbi() > 0) {
    EXPECT_NE(run.confinement.find("landlock ABI"), std::string::npos) << run.confinement;
  } else {
    EXPECT_NE(run.confinement.find("no landlock"), std::string::npos) << run.confinement;
  }
}

TEST(Sandbox, ReadsStillWork) {
  TempDir dir;
  testing::WriteFile(dir / "store-file", "layer data");
  std::string path = dir / "store-file";
  SandboxRun run = RunSandboxed([&] { return testing::ReadFile(path); }, Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  EXPECT_EQ(*run.answer, "layer data");
}

TEST(Sandbox, CrashIsAFailureNamingTheSignal) {
  SandboxRun run = RunSandboxed(
      [] {
        raise(SIGSEGV);
        return std::string("allow");
      },
      Quick());
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier crashed (signal 11: Segmentation fault)");
}

TEST(Sandbox, HangIsKilledAtTheDeadline) {
  SandboxLimits l = Quick();
  l.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  SandboxRun run = RunSandboxed(
      [] {
        for (;;) pause();
        return std::string("allow");
      },
      l);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier timed out after 300 ms");
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(Sandbox, FileWritesAreRefused) {
  TempDir dir;
  std::string canary = dir / "canary", existing = dir / "existing";
  testing::WriteFile(existing, "before");
  SandboxRun run = RunSandboxed(
      [&] {
        std::string r;
        r += Outcome(open(canary.c_str(), O_WRONLY | O_CREAT, 0644)) + ",";
        r += Outcome(open(existing.c_str(), O_RDWR)) + ",";
        r += Outcome(open(existing.c_str(), O_RDONLY | O_TRUNC)) + ",";
        r += Outcome(open(dir.path().c_str(), O_RDONLY | O_TMPFILE, 0600)) + ",";
        r += Outcome(mkdir((dir / "d").c_str(), 0700)) + ",";
        r += Outcome(unlink(existing.c_str())) + ",";
        r += Outcome(rename(existing.c_str(), canary.c_str())) + ",";
        r += Outcome(chmod(existing.c_str(), 0777)) + ",";
        r += Outcome(symlink("/etc/shadow", canary.c_str())) + ",";
        r += Outcome(truncate(existing.c_str(), 0));
        return r;
      },
      Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  std::string all_refused;
  for (int i = 0; i < 10; ++i) all_refused += kEperm + (i < 9 ? "," : "");
  EXPECT_EQ(*run.answer, all_refused);
  struct stat st;
  EXPECT_NE(lstat(canary.c_str(), &st), 0) << "the canary was created";
  EXPECT_EQ(testing::ReadFile(existing), "before");
  EXPECT_NE(lstat((dir / "d").c_str(), &st), 0);
}

// openat2 hides its flags from seccomp: Landlock must refuse the write opens it could make.
TEST(Sandbox, Openat2CannotWrite) {
  TempDir dir;
  std::string canary = dir / "canary";
  SandboxRun run = RunSandboxed(
      [&] {
        struct open_how how;
        memset(&how, 0, sizeof(how));
        how.flags = O_WRONLY | O_CREAT;
        how.mode = 0644;
        long w = syscall(SYS_openat2, AT_FDCWD, canary.c_str(), &how, sizeof(how));
        std::string r = Outcome(w) + ",";
        how.flags = O_RDONLY;
        how.mode = 0;
        how.resolve = RESOLVE_BENEATH;
        int root = open(dir.path().c_str(), O_RDONLY | O_DIRECTORY);
        r += Outcome(syscall(SYS_openat2, root, ".", &how, sizeof(how)));
        return r;
      },
      Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  if (LandlockAbi() > 0) {
    EXPECT_EQ(*run.answer, "errno " + std::to_string(EACCES) + ",ok");
  } else {
    std::string nosys = "errno " + std::to_string(ENOSYS);
    EXPECT_EQ(*run.answer, nosys + "," + nosys);
  }
  struct stat st;
  EXPECT_NE(stat(canary.c_str(), &st), 0) << "the canary was created";
}

TEST(Sandbox, WritesOnlyToTheAnswerPipe) {
  SandboxRun run = RunSandboxed(
      [] {
        std::string r = Outcome(write(1, "x", 1)) + "," + Outcome(write(2, "x", 1)) + "," +
                        Outcome(dup2(0, 9)) + "," + Outcome(fcntl(100, F_GETFD));
        return r;
      },
      Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  // dup2 is not allowed; fd 100 (anything of the parent's) is closed.
  EXPECT_EQ(*run.answer, kEperm + "," + kEperm + "," + kEperm + ",errno " + std::to_string(EBADF));
}

TEST(Sandbox, ExecKillsTheVerifier) {
  TempDir dir;
  std::string canary = dir / "canary";
  SandboxRun run = RunSandboxed(
      [&] {
        execl("/bin/sh", "sh", "-c", ("echo pwned > " + canary).c_str(), nullptr);
        return std::string("allow");
      },
      Quick());
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier made a forbidden system call (killed by seccomp)");
  struct stat st;
  EXPECT_NE(stat(canary.c_str(), &st), 0);
}

TEST(Sandbox, NoSocketsNoForkNoSignalsToOthers) {
  pid_t parent = getpid();
  SandboxRun run = RunSandboxed(
      [parent] {
        std::string r = Outcome(socket(AF_INET, SOCK_STREAM, 0)) + ",";
        r += Outcome(socket(AF_UNIX, SOCK_STREAM, 0)) + ",";
        int sv[2];
        r += Outcome(socketpair(AF_UNIX, SOCK_STREAM, 0, sv)) + ",";
        pid_t p = fork();
        if (p == 0) _exit(0);
        r += Outcome(p) + ",";
        r += Outcome(kill(parent, 0)) + ",";
        r += Outcome(unshare(CLONE_NEWUSER));
        return r;
      },
      Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  EXPECT_EQ(*run.answer,
            kEperm + "," + kEperm + "," + kEperm + "," + kEperm + "," + kEperm + "," + kEperm);
}

TEST(Sandbox, ThreadsStillRun) {
  SandboxRun run = RunSandboxed(
      [] {
        std::vector<int> out(4);
        std::vector<std::thread> ts;
        for (int i = 0; i < 4; ++i) ts.emplace_back([&out, i] { out[i] = i * i; });
        for (auto& t : ts) t.join();
        return std::to_string(out[0] + out[1] + out[2] + out[3]);
      },
      Quick());
  ASSERT_TRUE(run.answer) << run.failure;
  EXPECT_EQ(*run.answer, "14");
}

TEST(Sandbox, MemoryLimit) {
  SandboxLimits l = Quick();
  l.memory_bytes = rlim_t{256} << 20;
  // Within the limit: a decision's 5 MB attestation report and its parse fit many times over.
  SandboxRun fits = RunSandboxed(
      [] {
        std::string big(100 << 20, 'x');
        return std::to_string(big.size());
      },
      l);
  ASSERT_TRUE(fits.answer) << fits.failure;
  EXPECT_EQ(*fits.answer, std::to_string(100 << 20));
  SandboxRun over = RunSandboxed(
      [] {
        std::string big(size_t{512} << 20, 'x');
        return std::to_string(big.size());
      },
      l);
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_FALSE(over.answer);
  EXPECT_EQ(over.failure, "the sandboxed verifier hit its memory limit");
#endif
}

TEST(Sandbox, CpuLimit) {
  SandboxLimits l = Quick();
  l.cpu_seconds = 1;
  // One CPU-second can take many wall seconds on a loaded machine: the deadline is not tested.
  l.timeout = std::chrono::seconds(120);
  SandboxRun run = RunSandboxed(
      [] {
        volatile uint64_t x = 0;
        for (;;) x = x + 1;
        return std::string("allow");
      },
      l);
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier hit its CPU-time limit");
}

TEST(Sandbox, OversizedAnswer) {
  SandboxLimits l = Quick();
  l.max_answer_bytes = 1000;
  SandboxRun run = RunSandboxed([] { return std::string(1 << 20, 'a'); }, l);
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier's answer exceeds 1000 bytes");
}

TEST(Sandbox, EscapingExceptionIsAFailure) {
  SandboxRun run = RunSandboxed([]() -> std::string { throw std::runtime_error("boom"); }, Quick());
  EXPECT_FALSE(run.answer);
  EXPECT_EQ(run.failure, "the sandboxed verifier failed (an exception escaped the decision)");
}

}  // namespace
}  // namespace verified::shim
