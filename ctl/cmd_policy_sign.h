// verifiedctl policy trust add|remove|list, policy sign and policy status: the signed policy
// (verifier/signedpolicy/).
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/context.h"

namespace verified::ctl {

/// Adds `trust`, `sign` and `status` under the `policy` subcommand.
void AddSignedPolicyCommands(CLI::App& policy, CtlContext& ctx);

}  // namespace verified::ctl
