// Fuzz target: the runtime's argv as RunRuntime (shim/runtime.cpp) reads it: verified-runtime's
// own leading options (shim/own_options.h), then runc's command-line grammar over the rest
// (shim/runc_args.h). Arguments are NUL-separated.
#include <cstdint>
#include <string>
#include <vector>

#include "shim/own_options.h"
#include "shim/runc_args.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::vector<std::string> args;
  std::string cur;
  for (size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      args.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(data[i]));
    }
  }
  args.push_back(cur);
  auto own = verified::shim::ParseOwnOptions(args, "");
  // Invariant: our options never consume past argv nor leave a directory empty.
  if (own.ok() && (own->consumed > args.size() || own->config_dir.empty() ||
                   own->seal_dir.empty() || own->state_dir.empty())) {
    __builtin_trap();
  }
  std::vector<std::string> runc_args = args;
  if (own.ok()) runc_args.erase(runc_args.begin(), runc_args.begin() + own->consumed);
  (void)verified::shim::ParseRuncGlobals(runc_args);
  auto cl = verified::shim::ParseRuncArgs(runc_args);
  // Invariant: a successful create-path parse always names a valid container id.
  if (cl.ok() && verified::shim::IsCreatePath(cl->subcommand) && !cl->help && !cl->globals.help &&
      !verified::IsValidContainerId(cl->container_id)) {
    __builtin_trap();
  }
  return 0;
}
