#include "hooks/hook_decide.h"

namespace verified::hook {

shim::CreateDecision DecideForHook(const HookState& state, const HookSettings& settings,
                                   bool sandboxed) {
  CreateRequest req;
  req.container_id = state.id;
  req.bundle_dir = state.bundle;
  req.config_dir = settings.config_dir;
  req.seal_dir = settings.seal_dir;
  req.state_dir = settings.state_dir;
  // The runtime's state root is not in the OCI state: a sealed container's own joins are judged
  // against runc's default root (verifier/decision/runc_state.h); the wrapper judges them with
  // the real one when it created the container.
  req.command = "create";
  // No runtime calls a hook on exec: an enforced seal needs verified-runtime's own record.
  req.sees_exec = false;
  return shim::DecideCreate(req, sandboxed);
}

}  // namespace verified::hook
