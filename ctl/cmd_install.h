// verifiedctl install / uninstall: registering verified with container engines.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `install docker ...` and `uninstall docker ...` to `app`.
void AddInstallCommands(CLI::App& app, CtlContext& ctx);

/// Path of the verified-runtime binary next to this verifiedctl, else the default install path.
std::string DefaultRuntimePath();

}  // namespace verified::ctl
