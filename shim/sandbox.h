// Running untrusted-input parsing in a confined child process (issue 14, "the verifier in a
// sandbox").
//
// The create decision parses store files, tar-split streams and layer contents that anyone
// able to pull or build an image shapes. RunSandboxed forks; the child confines itself
// (shim/sandbox_policy.h: no_new_privs, limits, Landlock, seccomp), runs the work and writes
// its answer to a pipe; the parent, which alone execs runc and writes files, reads the answer
// within a deadline. Only a child that wrote an answer and exited 0 produces one: a crash, a
// forbidden system call, a limit hit, a hang or an oversized answer each give a failure with
// its own message, and the caller turns every failure into a deny.
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "shim/sandbox_policy.h"

namespace verified::shim {

/// What a sandboxed run gave.
struct SandboxRun {
  /// The bytes the child wrote, when it exited 0 after confining itself and running the work.
  std::optional<std::string> answer;
  /// Why there is no answer ("" when there is one), e.g. "the sandboxed verifier crashed
  /// (signal 11)", "... timed out after 60000 ms", "... hit its memory limit", "... made a
  /// forbidden system call (killed by seccomp)", "... could not be confined: ...".
  std::string failure;
  /// The confinement the child applied (ConfineSelf's description; "" when unknown).
  std::string confinement;
};

/// Runs `work` in a forked child confined by ConfineSelf(limits), and returns its answer.
/// `work` runs only once the child is confined; it may throw (std::bad_alloc is reported as
/// the memory limit, anything else as an error). The child's stdin, stdout and stderr are
/// /dev/null and it holds no other descriptor of the parent. Call from a single-threaded
/// process (fork copies only the calling thread). Never throws; fork or pipe failure is a
/// failure like the others.
SandboxRun RunSandboxed(const std::function<std::string()>& work, const SandboxLimits& limits);

}  // namespace verified::shim
