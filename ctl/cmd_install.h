// verifiedctl install / uninstall: registering verified with container engines.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `install docker ...` and `uninstall docker ...` to `app`.
void AddInstallCommands(CLI::App& app, CtlContext& ctx);

/// Creates <config-dir>/policy.json (enforce, default deny) when there is none, saying so.
Status EnsurePolicyExists(const std::string& config_dir);

/// Path of the binary `name` next to this verifiedctl when it is executable there, else
/// /usr/local/bin/<name> (the default install path).
std::string DefaultBinaryPath(const std::string& name);

/// Path of the verified-runtime binary next to this verifiedctl, else the default install path.
std::string DefaultRuntimePath();

}  // namespace verified::ctl
