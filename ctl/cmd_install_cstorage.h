// verifiedctl install/uninstall podman|crio: drop-in configuration for the containers/storage
// engines (see install/engine_drop_in.h).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `podman` and `crio` under the existing `install` and `uninstall` subcommands of
/// `app` (AddInstallCommands must have run first).
void AddContainersStorageInstallCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
