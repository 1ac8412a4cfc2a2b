#include "hooks/hook_decide.h"

#include "hooks/hook_seal.h"
#include "shim/runc_args.h"
#include "shim/seal_guard.h"

namespace verified::hook {

Decision DecideForHook(const HookState& state, const HookSettings& settings) {
  CreateRequest req;
  req.container_id = state.id;
  req.bundle_dir = state.bundle;
  req.config_dir = settings.config_dir;
  Decision d = DecideCreate(req);
  // The create-path guards the wrapper applies after the decision (shim/runtime.cpp): joins
  // of a sealed container's namespaces. The runtime's state root is not in the hook's state,
  // so a sealed container's own joins are judged against runc's default root; the wrapper
  // judges them with the real one when it created the container.
  shim::RuncCommandLine cl;
  cl.subcommand = "create";
  cl.container_id = state.id;
  cl.bundle = state.bundle;
  shim::RefuseJoiningSealed(d, cl, state.bundle, settings.seal_dir);
  RequireWrapperForSeal(d, state.id, settings.seal_dir);
  return d;
}

}  // namespace verified::hook
