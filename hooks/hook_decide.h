// The one place the hook asks for the create decision.
//
// The runtime wrapper (shim/runtime.cpp) and the hook must take the same decision for the same
// container, so both build the same request and call the same library function; when the
// decision's entry point changes, this is the only call in hooks/ to switch.
#pragma once

#include <string>

#include "hooks/hook_state.h"
#include "shim/sandboxed_decision.h"

namespace verified::hook {

/// Where the hook's settings come from (verified-runtime's own options: --config-dir,
/// --seal-dir and --state-dir, defaults from VERIFIED_CONFIG_DIR / VERIFIED_SEAL_DIR /
/// VERIFIED_STATE_DIR).
struct HookSettings {
  std::string config_dir;
  std::string seal_dir;
  bool debug = false;     ///< --debug: trace the decision's steps on stderr
  std::string state_dir;  ///< the signed policy's high-water mark ("" = kDefaultStateDir)
};

/// The create decision for the container the runtime described in `state`: verified::Decide
/// (verifier/decision/decide.h), in the sandbox when `sandboxed` as the runtime takes it
/// (shim/sandboxed_decision.h DecideCreate, its deferred writes made), on its id and bundle, with
/// the policy and registrations of `settings.config_dir` and the seal index in `settings.seal_dir`,
/// as a caller that never sees `exec` (CreateRequest::sees_exec: a sealed image needs
/// verified-runtime). The state's annotations are not passed on: the decision proves the image from
/// config.json, the engine's storage and the mount table. Never fails: an error is a deny verdict
/// naming it (or an audit-mode allow).
shim::CreateDecision DecideForHook(const HookState& state, const HookSettings& settings,
                                   bool sandboxed);

}  // namespace verified::hook
