// verified-hook: the create decision as an OCI createRuntime hook, for runtimes verified does
// not wrap (crun under Podman or CRI-O, through hooks.d). Exit 0 = allowed and logged; any
// other outcome, including an exception, exits non-zero so the runtime tears the container
// down before its process runs.
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "hooks/hook_run.h"
#include "verifier/core/env.h"

namespace {

constexpr const char* kUsage =
    "usage: verified-hook [--debug] [--config-dir DIR] [--seal-dir DIR] [--state-dir DIR]\n"
    "\n"
    "An OCI createRuntime hook: reads the container's OCI state on stdin, takes verified's\n"
    "create decision on its bundle (policy <config-dir>/policy.json, default /etc/verified or\n"
    "VERIFIED_CONFIG_DIR) and exits 0 only when the policy allows the container; otherwise it\n"
    "prints the refusal and exits 1, and the runtime (crun, runc) tears the container down\n"
    "before its process runs. Installed for Podman and CRI-O by\n"
    "`verifiedctl install podman|crio --hook` (a hooks.d file). --debug prints each decision\n"
    "step with its time on stderr.\n";

}  // namespace

int main(int argc, char** argv) {
  // Only --help alone: in a hooks.d line any other argument is the hook's own option.
  if (argc == 2 && (std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h")) {
    std::cout << kUsage;
    return 0;
  }
  try {
    std::vector<std::string> args(argv + 1, argv + argc);
    verified::hook::HookEnv env{verified::EnvOr("VERIFIED_CONFIG_DIR"),
                                verified::EnvOr("VERIFIED_SEAL_DIR"),
                                verified::EnvOr("VERIFIED_STATE_DIR")};
    return verified::hook::RunHook(args, env, STDIN_FILENO, std::cerr);
  } catch (const std::exception& e) {
    std::cerr << "verified: refused: the hook failed: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "verified: refused: the hook failed\n";
  }
  return 1;
}
