// verifiedctl check IMAGE and explain CONTAINER.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `check` (exit 0 allowed, 1 refused, 2 error) and `explain` to `app`.
void AddCheckCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
