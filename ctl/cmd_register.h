// verifiedctl register / unregister / list.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `register IMAGE...`, `unregister NAME...` and `list` to `app`.
void AddRegisterCommands(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
