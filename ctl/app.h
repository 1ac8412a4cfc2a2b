// The verifiedctl command line as one unit, so that a command can run another in-process
// (`uninstall all` runs each engine's own `uninstall ENGINE`).
#pragma once

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "ctl/context.h"

namespace verified::ctl {

/// Registers every verifiedctl subcommand on `app`, writing results into `ctx`.
void AddAllCommands(CLI::App& app, CtlContext& ctx);

/// Runs `verifiedctl ARGS...` (without the program name) in this process with a copy of
/// `parent`'s settings (config dir, seal dir, engine options); returns its exit status,
/// kExitError for a command line CLI11 refuses (the message printed to stderr).
int RunNestedCommand(const CtlContext& parent, const std::vector<std::string>& args);

}  // namespace verified::ctl
