#include "shim/sandbox.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <new>

namespace verified::shim {
namespace {

// The child's exit codes besides 0 (answered).
constexpr int kExitUnconfined = 70;
constexpr int kExitOutOfMemory = 71;
constexpr int kExitThrew = 72;
constexpr int kAnswerFd = 3;

using Clock = std::chrono::steady_clock;

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

// Leaves the child with /dev/null as 0, 1 and 2, the answer pipe as fd 3, and nothing else of
// the parent's (the engine's pipes and sockets, runc's console socket...).
bool IsolateDescriptors(int answer_fd) {
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0) return false;
  if (answer_fd != kAnswerFd && dup2(answer_fd, kAnswerFd) != kAnswerFd) return false;
  for (int fd = 0; fd <= 2; ++fd) {
    if (dup2(null_fd, fd) != fd) return false;
  }
  if (syscall(SYS_close_range, kAnswerFd + 1, ~0U, 0) != 0) {
    // close_range(2) is Linux 5.9; older kernels close one by one.
    long max = sysconf(_SC_OPEN_MAX);
    for (long fd = kAnswerFd + 1; fd < (max > 0 ? max : 1024); ++fd) close(static_cast<int>(fd));
  }
  return true;
}

[[noreturn]] void RunChild(int answer_fd, pid_t parent, const std::function<std::string()>& work,
                           const SandboxLimits& limits) {
  // Die with the parent: an orphaned verifier has no one to answer.
  prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (getppid() != parent) _exit(kExitUnconfined);
  if (!IsolateDescriptors(answer_fd)) _exit(kExitUnconfined);
  auto confined = ConfineSelf(kAnswerFd, limits);
  if (!confined.ok()) {
    WriteAll(kAnswerFd, "!" + confined.error().What());
    _exit(kExitUnconfined);
  }
  try {
    // One write where the pipe takes it: each wake-up of the parent costs a scheduling slot.
    std::string answer = *confined + "\n" + work();
    if (!WriteAll(kAnswerFd, answer)) _exit(kExitThrew);
  } catch (const std::bad_alloc&) {
    _exit(kExitOutOfMemory);
  } catch (...) {
    _exit(kExitThrew);
  }
  // _exit: no atexit handlers or stdio flushes of the parent's state.
  _exit(0);
}

// Reads the child's pipe until EOF, `max` bytes or the deadline. Returns false on timeout or
// an oversized answer (said in `failure`).
bool ReadAnswer(int fd, Clock::time_point deadline, const SandboxLimits& limits, std::string& out,
                std::string& failure) {
  char buf[65536];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      failure = "the sandboxed verifier timed out after " + std::to_string(limits.timeout.count()) +
                " ms";
      return false;
    }
    struct pollfd p = {fd, POLLIN, 0};
    int r = poll(&p, 1, static_cast<int>(std::min<int64_t>(left.count() + 1, 1 << 30)));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) continue;  // timeout: the loop says so
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return true;  // EOF (or an error: the exit status decides)
    out.append(buf, static_cast<size_t>(n));
    if (out.size() > limits.max_answer_bytes + 4096) {
      failure = "the sandboxed verifier's answer exceeds " +
                std::to_string(limits.max_answer_bytes) + " bytes";
      return false;
    }
  }
}

// Waits for the child to exit by the deadline (it closed its pipe; a child that closes it and
// then hangs must not hang the parent). Returns false on timeout.
bool WaitUntil(pid_t pid, Clock::time_point deadline, int& status) {
  auto pause = std::chrono::microseconds(20);
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) return true;
    if (r < 0 && errno != EINTR) return false;
    if (Clock::now() >= deadline) return false;
    struct timespec ts = {0, static_cast<long>(pause.count()) * 1000};
    nanosleep(&ts, nullptr);
    pause = std::min(pause * 2, std::chrono::microseconds(10000));
  }
}

std::string Describe(int status, const std::string& text) {
  const std::string who = "the sandboxed verifier ";
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    if (sig == SIGSYS) return who + "made a forbidden system call (killed by seccomp)";
    if (sig == SIGXCPU) return who + "hit its CPU-time limit";
    if (sig == SIGKILL) {
      return who + "was killed (signal 9: its CPU-time limit or the kernel's OOM killer)";
    }
    return who + "crashed (signal " + std::to_string(sig) + ": " + strsignal(sig) + ")";
  }
  int code = WEXITSTATUS(status);
  if (code == kExitUnconfined) {
    return who + "could not be confined" +
           (text.size() > 1 && text[0] == '!' ? ": " + text.substr(1) : std::string());
  }
  if (code == kExitOutOfMemory) return who + "hit its memory limit";
  if (code == kExitThrew) return who + "failed (an exception escaped the decision)";
  return who + "exited with status " + std::to_string(code);
}

}  // namespace

SandboxRun RunSandboxed(const std::function<std::string()>& work, const SandboxLimits& limits) {
  SandboxRun run;
  auto deadline = Clock::now() + limits.timeout;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    run.failure = std::string("cannot start the sandboxed verifier: pipe: ") + strerror(errno);
    return run;
  }
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    run.failure = std::string("cannot start the sandboxed verifier: fork: ") + strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return run;
  }
  if (pid == 0) {
    close(fds[0]);
    RunChild(fds[1], parent, work, limits);
  }
  close(fds[1]);
  std::string text, failure;
  bool read = ReadAnswer(fds[0], deadline, limits, text, failure);
  close(fds[0]);
  int status = 0;
  if (!read || !WaitUntil(pid, deadline, status)) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    run.failure = !failure.empty() ? failure
                                   : "the sandboxed verifier timed out after " +
                                         std::to_string(limits.timeout.count()) + " ms";
    return run;
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    run.failure = Describe(status, text);
    return run;
  }
  size_t nl = text.find('\n');
  if (nl == std::string::npos) {
    run.failure = "the sandboxed verifier exited without an answer";
    return run;
  }
  run.confinement = text.substr(0, nl);
  run.answer = text.substr(nl + 1);
  return run;
}

}  // namespace verified::shim
