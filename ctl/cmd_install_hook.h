// verifiedctl install|uninstall podman|crio --hook: the hooks.d file that runs verified-hook
// for every container the engine creates, whatever OCI runtime it uses (see
// install/oci_hook_config.h). Recorded in install-state.json under "<engine>-hook".
#pragma once

#include <string>

#include "ctl/context.h"
#include "verifier/core/result.h"

namespace verified::ctl {

/// The options of `install <engine> --hook`.
struct HookInstallArgs {
  std::string hooks_dir;    ///< "" = install::kDefaultHooksDir
  std::string hook_path;    ///< "" = verified-hook next to verifiedctl, else /usr/local/bin
  int timeout_seconds = 0;  ///< 0 = install::kDefaultHookTimeoutSeconds
  std::string stage = "createRuntime";
  std::string seal_dir;  ///< "" = the runtime's default (/run/verified/seals)
};

/// Writes <hooks-dir>/verified.json for `engine` ("podman" or "crio") and records it. Podman
/// and CRI-O share the default hooks dir: installing for the second engine takes over the
/// first one's record of the same file, so the file stays until both are uninstalled.
/// kNotFound when the hook binary is not executable, kInvalidArgument for bad options.
Status InstallHook(const CtlContext& ctx, const std::string& engine, const HookInstallArgs& a);

/// Undoes InstallHook for `engine` as recorded (the file is kept while the other engine's
/// record still names it). `hooks_dir` ("" = as recorded) must match the record when given.
/// kNotFound when nothing is recorded.
Status UninstallHook(const CtlContext& ctx, const std::string& engine,
                     const std::string& hooks_dir);

}  // namespace verified::ctl
