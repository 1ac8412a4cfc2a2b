// verified-hook: argv and stdin -> settings and state -> decision -> decision log -> exit code.
//
// An OCI runtime runs the hook at createRuntime (after the container's namespaces exist,
// before pivot_root and before the container's process runs) and tears the container down
// when it exits non-zero. So every path that does not end in an allowed, logged decision
// returns non-zero: bad arguments, unreadable or malformed state, an unwritable decision
// log, a refusal. The refusal goes to `err` (stderr): runc puts a failing hook's stderr into
// its error, which Podman shows; crun does not, so the decision log is where the reason is
// always found.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace verified::hook {

/// The command recorded in the decision log for the hook's decisions.
inline constexpr const char* kHookCommand = "create-hook";

/// The environment the hook reads (VERIFIED_CONFIG_DIR, VERIFIED_SEAL_DIR,
/// VERIFIED_STATE_DIR; "" when unset).
struct HookEnv {
  std::string config_dir;
  std::string seal_dir;
  std::string state_dir;
};

/// Runs the hook with its arguments (argv without argv[0]: `[--config-dir DIR]
/// [--seal-dir DIR] [--state-dir DIR]`, nothing else), reading the state from `state_fd` (at most
/// kMaxHookStateBytes). Returns 0 only when the decision allows the container and was
/// appended to the decision log; otherwise writes one "verified: ..." line to `err` and
/// returns 1.
int RunHook(const std::vector<std::string>& args, const HookEnv& env, int state_fd,
            std::ostream& err);

}  // namespace verified::hook
