#include "ctl/cmd_install_hook.h"

#include <unistd.h>

#include "ctl/cmd_install.h"
#include "ctl/policy_edit.h"
#include "install/engine_drop_in.h"
#include "install/install_state.h"
#include "install/oci_hook_config.h"
#include "verifier/config/config_dir.h"

namespace verified::ctl {
namespace {

std::string StateKey(const std::string& engine) { return engine + "-hook"; }
std::string OtherEngine(const std::string& engine) {
  return engine == "podman" ? "crio" : "podman";
}
std::string HookBackupDir(const CtlContext& ctx) { return ctx.config_dir + "/backups"; }

std::string HookFile(const std::string& hooks_dir) {
  std::string dir = hooks_dir.empty() ? install::kDefaultHooksDir : hooks_dir;
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir + "/" + install::kHookFileName;
}

bool RecordsFile(const nlohmann::ordered_json& state, const std::string& key,
                 const std::string& path) {
  return state.contains(key) && state[key].is_object() && state[key].value("drop_in", "") == path;
}

// The engine reads the hook binary at every create; a typo here would refuse every
// container, so check it now, as install does for the runtime binary.
Result<install::OciHookConfig> HookConfig(const CtlContext& ctx, const HookInstallArgs& a) {
  install::OciHookConfig c;
  c.hook_path = a.hook_path.empty() ? DefaultBinaryPath("verified-hook") : a.hook_path;
  c.config_dir = ctx.config_dir;
  if (!ctx.state_dir.empty()) c.state_dir = ctx.state_dir;
  if (a.timeout_seconds != 0) c.timeout_seconds = a.timeout_seconds;
  c.stage = a.stage;
  if (!a.seal_dir.empty()) c.seal_dir = a.seal_dir;
  if (access(c.hook_path.c_str(), X_OK) != 0) {
    return MakeError(ErrorKind::kNotFound, "hook binary {} is not executable here", c.hook_path);
  }
  return c;
}

Status EnsurePolicy(const std::string& config_dir) {
  if (access(PolicyPath(config_dir).c_str(), F_OK) == 0) return Ok();
  fmt::print("created {} (enforce, default deny): register images and allow them\n",
             PolicyPath(config_dir));
  return EditPolicy(config_dir, [](nlohmann::ordered_json&) { return Ok(); });
}

}  // namespace

Status InstallHook(const CtlContext& ctx, const std::string& engine, const HookInstallArgs& a) {
  VERIFIED_ASSIGN_OR_RETURN(install::OciHookConfig c, HookConfig(ctx, a));
  VERIFIED_ASSIGN_OR_RETURN(std::string text, install::OciHookConfigText(c));
  VERIFIED_RETURN_IF_ERROR(EnsurePolicy(ctx.config_dir));
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  std::string path = HookFile(a.hooks_dir);
  std::string key = StateKey(engine);
  std::string other = StateKey(OtherEngine(engine));
  nlohmann::ordered_json entry = nlohmann::ordered_json::object();
  if (RecordsFile(state, key, path)) {
    entry = state[key];
  } else if (RecordsFile(state, other, path)) {
    // The same file serves both engines: start from the other's record, so its backup of a
    // foreign file (if any) is what the last uninstall puts back.
    entry = state[other];
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string backup,
                            install::WriteDropIn(path, text, HookBackupDir(ctx), entry));
  entry["hook_path"] = c.hook_path;
  entry["stage"] = c.stage;
  state[key] = entry;
  if (RecordsFile(state, other, path)) state[other] = entry;
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("wrote {} ({} hook {}, timeout {}s){}\n", path, c.stage, c.hook_path,
             c.timeout_seconds,
             backup.empty() ? "" : "; the file that was there is kept as " + backup);
  fmt::print("new {} containers run the hook, whatever their OCI runtime{}\n", engine,
             engine == "crio" ? " (CRI-O reads hooks_dir from crio.conf; the default "
                                "includes " +
                                    std::string(install::kDefaultHooksDir) + ")"
                              : "");
  return Ok();
}

Status UninstallHook(const CtlContext& ctx, const std::string& engine,
                     const std::string& hooks_dir) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  std::string key = StateKey(engine);
  if (!state.contains(key)) {
    return MakeError(ErrorKind::kNotFound, "{}/install-state.json records no {} hook install",
                     ctx.config_dir, engine);
  }
  std::string path = state[key].value("drop_in", "");
  if (!hooks_dir.empty() && HookFile(hooks_dir) != path) {
    return MakeError(ErrorKind::kInvalidArgument, "the {} hook was installed as {}, not in {}",
                     engine, path, hooks_dir);
  }
  if (RecordsFile(state, StateKey(OtherEngine(engine)), path)) {
    fmt::print("kept {}: the {} hook install uses it too\n", path, OtherEngine(engine));
  } else {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> done,
                              install::RemoveDropIn(state[key], HookBackupDir(ctx)));
    for (const auto& line : done) fmt::print("{}\n", line);
  }
  state.erase(key);
  return install::SaveInstallState(ctx.config_dir, state);
}

}  // namespace verified::ctl
