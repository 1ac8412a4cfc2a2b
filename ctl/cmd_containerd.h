// verifiedctl's containerd pieces: --containerd-root/--namespace for register and check, and
// `install containerd` / `uninstall containerd` (config.toml runtime for Kubernetes).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds the containerd options to the existing `register` and `check` subcommands and the
/// `containerd` subcommand to `install` and `uninstall`. Call after AddRegisterCommands,
/// AddCheckCommands and AddInstallCommands.
void AddContainerdCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
