// State shared by verifiedctl's subcommands.
#pragma once

#include <string>

#include "verifier/core/result.h"

namespace verified::ctl {

/// Exit statuses, as documented in the README.
enum ExitCode : int {
  kExitOk = 0,
  kExitRefused = 1,  ///< check/audit: something is (or would be) refused
  kExitError = 2,    ///< could not decide: bad arguments, unreachable engine, unreadable state
};

/// Global options and the exit status the chosen subcommand sets.
struct CtlContext {
  std::string config_dir;
  /// The host-wide seal index the runtime uses (VERIFIED_SEAL_DIR, else /run/verified/seals):
  /// explain and audit judge namespace joins against it as the runtime does.
  std::string seal_dir;
  /// The state dir (--state-dir, VERIFIED_STATE_DIR, else /var/lib/verified): the signed
  /// policy's high-water mark (verifier/config/state_dir.h).
  std::string state_dir;
  std::string engine = "docker";  ///< --engine for register/check/explain
  std::string podman_root;        ///< --root: Podman's graph root ("" = as podman finds it)
  std::string podman_runroot;     ///< --runroot: Podman's run root ("" = as podman finds it)
  int exit_code = kExitOk;
  /// containerd's root for --engine containerd ("" = find it from the daemon at
  /// CONTAINERD_ADDRESS), and the namespace ("" = CONTAINERD_NAMESPACE, else "default").
  std::string containerd_root;
  std::string containerd_namespace;

  /// Prints "verifiedctl: <error>" to stderr and sets kExitError.
  void Fail(const Error& e);
  void Fail(const std::string& message);
};

/// RFC 3339 UTC timestamp with seconds ("2026-11-22T05:24:27Z").
std::string NowRfc3339();

/// "alice (uid 0, via sudo)" style description of who runs the tool.
std::string CurrentUser();

}  // namespace verified::ctl
