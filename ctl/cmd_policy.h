// verifiedctl policy: allow, deny, remove, mode, default, baseline, show, lint.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds the `policy` command group to `app`.
void AddPolicyCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
