// verified-runtime: a runc-compatible OCI runtime that proves a container's image against the
// host policy on create/run/restore and otherwise execs the real runc untouched.
#include <string>
#include <vector>

#include "shim/runtime.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return verified::shim::RunRuntime(args);
}
