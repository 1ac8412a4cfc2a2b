// verifiedctl key generate / add / list / remove: the public keys image signatures are checked
// against, in <config-dir>/keys (verifier/signature/key_dir.h).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

#include "ctl/context.h"
#include "verifier/core/result.h"

namespace verified::ctl {

/// Adds `key generate NAME [--private-out FILE]`, `key add NAME FILE.pub`, `key list` and
/// `key remove NAME` to `app`.
void AddKeyCommands(CLI::App& app, CtlContext& ctx);

/// Creates `path` holding `content` with mode 0600, refusing to replace anything already there
/// (O_EXCL, symlinks included); the file is fsynced before returning. kInvalidArgument when
/// `path` exists, kIo otherwise; on failure nothing is left behind.
Status WritePrivateKeyFile(const std::string& path, std::string_view content);

}  // namespace verified::ctl
