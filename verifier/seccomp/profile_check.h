// Checking an OCI spec's seccomp profile (linux.seccomp) for syscalls a policy forbids.
//
// Names are resolved with libseccomp (seccomp_syscall_resolve_name), the library runc itself
// compiles profiles with: a name it does not know is reported, because the policy cannot
// reason about a syscall it cannot identify.
//
// A forbidden syscall counts as allowed when any rule naming it has a non-blocking action
// (SCMP_ACT_ALLOW, _LOG, _TRACE, _NOTIFY), even with argument conditions, or when the default
// action is non-blocking and no unconditional rule blocks it (SCMP_ACT_ERRNO, _KILL,
// _KILL_PROCESS, _KILL_THREAD, _TRAP). This errs towards "allowed": a profile is only accepted
// when it blocks the syscall for every argument.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// What a profile does with the forbidden syscalls.
struct SeccompReport {
  bool present = false;                    ///< linux.seccomp is set (false: seccomp disabled)
  std::vector<std::string> allowed;        ///< forbidden syscalls the profile lets through
  std::vector<std::string> unknown_names;  ///< names in the profile libseccomp does not know
};

/// True when libseccomp knows `name` on any architecture it supports.
bool IsKnownSyscall(const std::string& name);

/// Most syscall rules and names read from one profile.
inline constexpr size_t kMaxSeccompRules = 10000;
inline constexpr size_t kMaxSeccompNames = 100000;

/// Analyses `seccomp` (the value of linux.seccomp; nullptr or null = absent) against
/// `forbidden` (known syscall names). Fails with kParse on a malformed profile or an action
/// name that is not a seccomp action, kTooLarge past the limits.
Result<SeccompReport> AnalyzeSeccomp(const nlohmann::json* seccomp,
                                     const std::vector<std::string>& forbidden);

}  // namespace verified
