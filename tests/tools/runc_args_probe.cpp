// runc_args_probe ARGS...: prints how verified-runtime reads a runc command line, one line:
//   "ok <subcommand> <container-id> <bundle>" or "refused <reason>".
// Used by tests/e2e/runc_grammar.sh to compare our grammar with the real runc binary.
#include <cstdio>
#include <string>
#include <vector>

#include "shim/runc_args.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto cl = verified::shim::ParseRuncArgs(args);
  if (!cl.ok()) {
    printf("refused %s\n", cl.error().What().c_str());
    return 0;
  }
  printf("ok %s %s %s\n", cl->subcommand.c_str(), cl->container_id.c_str(),
         cl->bundle.empty() ? "." : cl->bundle.c_str());
  return 0;
}
