// Fake engine state trees for enumerator tests: a temp dir, files written into it, and a child
// process that plays a container's init (its parent, the test, stands in for the shim).
#pragma once

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace verified::ctl::testing {

class FakeTree {
 public:
  FakeTree() {
    char tmpl[] = "/tmp/vfy-enum.XXXXXX";
    EXPECT_NE(mkdtemp(tmpl), nullptr);
    char real[PATH_MAX];
    root_ = realpath(tmpl, real);
  }
  ~FakeTree() {
    for (pid_t p : children_) {
      kill(p, SIGKILL);
      waitpid(p, nullptr, 0);
    }
    std::filesystem::remove_all(root_);
  }
  const std::string& root() const { return root_; }

  void Write(const std::string& rel, const std::string& text) {
    std::filesystem::path p = root_ + "/" + rel;
    std::filesystem::create_directories(p.parent_path());
    std::ofstream(p) << text;
  }
  void Mkdir(const std::string& rel) { std::filesystem::create_directories(root_ + "/" + rel); }

  // A live child process whose parent (this test) has `cwd` as working directory while it is
  // being located; returns its PID. The caller restores the working directory via Chdir().
  pid_t SpawnInit() {
    pid_t pid = fork();
    if (pid == 0) {
      for (;;) pause();
    }
    children_.push_back(pid);
    return pid;
  }
  // Returns the PID of an exited, reaped child: a PID that is not alive.
  pid_t DeadPid() {
    pid_t pid = fork();
    if (pid == 0) _exit(0);
    waitpid(pid, nullptr, 0);
    return pid;
  }

 private:
  std::string root_;
  std::vector<pid_t> children_;
};

/// Changes the working directory for a scope (the test process plays the shim).
class ScopedCwd {
 public:
  explicit ScopedCwd(const std::string& dir) {
    char buf[PATH_MAX];
    old_ = getcwd(buf, sizeof(buf)) != nullptr ? buf : "/";
    EXPECT_EQ(chdir(dir.c_str()), 0);
  }
  ~ScopedCwd() { (void)!chdir(old_.c_str()); }

 private:
  std::string old_;
};

}  // namespace verified::ctl::testing
