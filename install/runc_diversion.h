// Hardened installs: the host's `runc` becomes verified-runtime.
//
// Docker always offers its built-in `--runtime=runc`, and containerd's shim defaults to the
// `runc` on PATH, so a default runtime alone leaves a door open. A hardened install diverts the
// real runc with dpkg-divert (so package upgrades land on the diverted name, not over us),
// puts a symlink to verified-runtime in its place, and records the diverted path as the runc
// verified-runtime execs. Uninstall reverses both steps.
#pragma once

#include <string>

#include "verifier/core/result.h"

namespace verified::install {

/// The runc to divert and where it goes.
struct RuncDiversion {
  std::string runc_path;      ///< e.g. /usr/sbin/runc (realpath of `runc` on PATH)
  std::string diverted_path;  ///< e.g. /usr/sbin/runc.verified-real
};

/// Finds the real runc binary engines resolve: realpath of the first `runc` on `path_env`.
/// kNotFound when there is none.
Result<RuncDiversion> LocateRunc(const std::string& path_env);

/// Diverts runc (dpkg-divert --add --rename) and links `runtime_path` in its place. Already
/// diverted to the same place is success (idempotent).
Status DivertRunc(const RuncDiversion& d, const std::string& runtime_path);

/// Removes the symlink and the diversion (dpkg-divert --remove --rename), restoring runc.
Status UndivertRunc(const RuncDiversion& d);

}  // namespace verified::install
