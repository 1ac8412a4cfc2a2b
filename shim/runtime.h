// verified-runtime's top level: argv in, exec of runc or a refusal out.
#pragma once

#include <string>
#include <vector>

namespace verified::shim {

/// Runs the runtime for argv[1..] (`args`). Returns only when runc was not exec'd: the exit
/// status (1 for a refusal or an error).
int RunRuntime(const std::vector<std::string>& args);

}  // namespace verified::shim
