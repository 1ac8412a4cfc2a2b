// `verifiedctl uninstall all`: undoes every install that install-state.json records, the way
// the Debian package's prerm removes verified from each engine it was installed into.
#pragma once

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/context.h"
#include "verifier/core/result.h"

namespace verified::ctl {

/// The `verifiedctl uninstall ...` argument lists that undo the installs recorded in
/// `state` (install-state.json), in the order they must run: engine hooks and drop-ins
/// first, Docker (whose runc diversion other engines may be using) last. kParse naming a key
/// this version does not know (better to stop than to leave an install behind unmentioned).
/// Docker's gets --remove-created: removing verified from the host leaves /etc/docker as it
/// was, and the administrator restarts dockerd.
Result<std::vector<std::vector<std::string>>> UninstallCommandsFor(
    const nlohmann::ordered_json& state);

/// Adds `uninstall all` to the `uninstall` group (call after the engines' own subcommands).
/// It runs each command of UninstallCommandsFor in-process (RunNestedCommand, same config
/// dir), goes on past a failure, and fails (exit 2) if any did.
void AddUninstallAllCommand(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
