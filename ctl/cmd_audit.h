// verifiedctl audit: every container on the host, the image it really runs and the verdict
// the current policy (or a whitelist/blacklist file) gives it now.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `audit` to `app`. Exit status: 0 every container complies, 1 some does not, 2 the
/// audit could not be completed (bad arguments, unreadable policy or list, an engine that is
/// present but cannot be read).
void AddAuditCommand(CLI::App& app, CtlContext& ctx);

}  // namespace verified::ctl
