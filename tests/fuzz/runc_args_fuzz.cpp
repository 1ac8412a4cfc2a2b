// Fuzz target: runc command-line grammar (shim/runc_args.h). Arguments are NUL-separated.
#include <cstdint>
#include <string>
#include <vector>

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
  auto cl = verified::shim::ParseRuncArgs(args);
  // Invariant: a successful create-path parse always names a valid container id.
  if (cl.ok() && verified::shim::IsCreatePath(cl->subcommand) && !cl->help && !cl->globals.help &&
      !verified::IsValidContainerId(cl->container_id)) {
    __builtin_trap();
  }
  return 0;
}
