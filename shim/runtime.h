// verified-runtime's top level: argv in, exec of runc or a refusal out.
#pragma once

#include <string>
#include <vector>

#include "shim/own_options.h"
#include "shim/runc_args.h"
#include "verifier/decision/request.h"

namespace verified::shim {

/// Runs the runtime for argv[1..] (`args`). Returns only when runc was not exec'd: the exit
/// status (1 for a refusal or an error).
int RunRuntime(const std::vector<std::string>& args);

/// The decision request of a parsed create/run/restore line (`cl`, from ParseRuncArgs) under
/// the runtime's own options: a relative bundle is made absolute against the working
/// directory, as runc does.
CreateRequest CreateRequestFor(const RuncCommandLine& cl, const OwnOptions& own);

}  // namespace verified::shim
