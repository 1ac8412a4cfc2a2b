// Handing over to the real runc: execv, never spawn, never ourselves.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::shim {

/// Finds the runc to exec: `configured` when set, otherwise the first "runc" on PATH that is
/// not this binary. Fails with kInvalidArgument when the candidate is verified-runtime itself
/// (same device and inode as /proc/self/exe): exec'ing ourselves would loop forever, and on a
/// hardened host means the diverted runc was not configured.
Result<std::string> FindRunc(const std::string& configured, const std::string& path_env);

/// Replaces this process with `runc` given `args` (runc's arguments, our own options already
/// removed); argv[0] becomes the runc path, everything else is passed byte for byte.
/// Returns only on failure.
Error ExecRunc(const std::string& runc, const std::vector<std::string>& args);

}  // namespace verified::shim
