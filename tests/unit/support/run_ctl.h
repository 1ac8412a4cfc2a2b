// Runs verifiedctl subcommands in-process for the ctl unit tests.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "ctl/context.h"

namespace verified::testing {

/// Adds the subcommands under test to the app (e.g. ctl::AddKeyCommands).
using AddCommands = std::function<void(CLI::App&, ctl::CtlContext&)>;

/// Runs `verifiedctl --config-dir CONFIG_DIR ARGS...` with the subcommands `add` registers;
/// returns the exit status (kExitError for a command line CLI11 refuses).
int RunCtl(const std::string& config_dir, std::vector<std::string> args, const AddCommands& add);

}  // namespace verified::testing
