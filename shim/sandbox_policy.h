// The confinement of the sandboxed verifier (shim/sandbox.h): what the child process that
// parses store files, tar-split streams and layer contents may still do once it has called
// ConfineSelf.
//
//  - no_new_privs;
//  - resource limits: CPU time, writable memory (RLIMIT_DATA), no file growth (RLIMIT_FSIZE 0);
//  - Landlock, where the kernel has it: the whole tree readable, nothing else (no write,
//    truncate, create, remove, rename, link, exec; TCP bind/connect, abstract unix sockets and
//    signals outside the process where the kernel's ABI has those);
//  - a seccomp filter that allows a fixed list of system calls (reading files and directories,
//    memory, threads, time, randomness) and kills the process on execve, execveat, ptrace and
//    process_vm_*; open/openat only without write, create, truncate or append flags; write and
//    writev only to the answer fd; clone only for threads (no new namespaces, no fork);
//    kill/tgkill only of itself. Every other call fails with EPERM (clone3: ENOSYS, so that
//    glibc falls back to clone). openat2, whose flags the filter cannot see, is allowed only
//    under Landlock (which refuses write opens itself); without Landlock it fails with ENOSYS,
//    so content verification (which needs it) then denies: run such hosts with
//    the sandbox off (VERIFIED_SANDBOX unset) only if that trade is wanted.
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <string>

#include "verifier/core/result.h"

namespace verified::shim {

/// The limits of one sandboxed decision.
struct SandboxLimits {
  /// Wall-clock time the parent waits for the answer before killing the child.
  std::chrono::milliseconds timeout{60000};
  /// RLIMIT_CPU (seconds of CPU time, all threads): SIGXCPU at the limit, SIGKILL one later.
  rlim_t cpu_seconds = 60;
  /// RLIMIT_DATA: writable private memory (heap, anonymous mappings, thread stacks). Not set
  /// in AddressSanitizer builds, whose shadow memory alone exceeds any such bound.
  rlim_t memory_bytes = rlim_t{2} << 30;
  /// Largest answer the parent reads; more is a deny.
  size_t max_answer_bytes = size_t{64} << 20;
};

/// The Landlock ABI version of the running kernel, 0 when it has none (or it is disabled).
int LandlockAbi();

/// Confines the calling process for the rest of its life as described above; `answer_fd` is
/// the one descriptor it may write to. Returns what was applied, e.g. "no_new_privs, limits,
/// landlock ABI 6, seccomp" or "... no landlock (kernel lacks it), seccomp". Fails when
/// no_new_privs, a limit or the seccomp filter cannot be applied (the caller must then not run
/// the decision); a kernel without Landlock is not a failure.
/// Must be called in a single-threaded process: the filter and Landlock domain apply to the
/// calling thread and the threads it creates afterwards.
Result<std::string> ConfineSelf(int answer_fd, const SandboxLimits& limits);

}  // namespace verified::shim
