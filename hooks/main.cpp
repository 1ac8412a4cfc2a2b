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

int main(int argc, char** argv) {
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
