#include "ctl/cmd_install_cstorage.h"

#include <unistd.h>

#include <memory>

#include "ctl/cmd_install.h"
#include "ctl/cmd_install_hook.h"
#include "install/engine_drop_in.h"
#include "install/install_state.h"
#include "install/oci_hook_config.h"
#include "verifier/config/config_dir.h"

namespace verified::ctl {
namespace {

struct Engine {
  const char* key;           // install-state.json key and subcommand name
  const char* title;         // for help text
  const char* default_path;  // drop-in path
  const char* path_option;   // option naming the drop-in file
  const char* apply_step;    // printed after install/uninstall
};

constexpr Engine kPodman{"podman", "Podman (containers.conf drop-in)", install::kPodmanDropIn,
                         "--containers-conf",
                         "new podman commands use it: podman --runtime verified run ..."};
constexpr Engine kCrio{"crio", "CRI-O (crio.conf drop-in)", install::kCrioDropIn, "--crio-conf",
                       "reload CRI-O to apply: systemctl reload crio (or kill -HUP its pid); "
                       "then use a RuntimeClass with handler: verified"};

struct Args {
  std::string drop_in;
  std::string runtime_path;
  std::string runtime_root = "/run/verified-runc";
  bool default_runtime = false;
  bool hook = false;  // --hook: the hooks.d file instead of the runtime drop-in
  HookInstallArgs hook_args;
};

// Backups live in the config dir: a copy left in a drop-in directory would be loaded too.
std::string BackupDir(const CtlContext& ctx) { return ctx.config_dir + "/backups"; }

Status Install(const CtlContext& ctx, const Engine& e, const Args& a) {
  install::RuntimeDropIn d;
  d.runtime_path = a.runtime_path.empty() ? DefaultRuntimePath() : a.runtime_path;
  d.config_dir = ctx.config_dir;
  if (!ctx.state_dir.empty()) d.state_dir = ctx.state_dir;
  d.set_default = a.default_runtime;
  d.runtime_root = a.runtime_root;
  if (access(d.runtime_path.c_str(), X_OK) != 0) {
    return MakeError(ErrorKind::kNotFound, "runtime binary {} is not executable here",
                     d.runtime_path);
  }
  VERIFIED_ASSIGN_OR_RETURN(
      std::string text, &e == &kPodman ? install::PodmanDropInText(d) : install::CrioDropInText(d));
  VERIFIED_RETURN_IF_ERROR(EnsurePolicyExists(ctx.config_dir));
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  std::string path = a.drop_in.empty() ? e.default_path : a.drop_in;
  nlohmann::ordered_json entry =
      state.contains(e.key) ? state[e.key] : nlohmann::ordered_json::object();
  VERIFIED_ASSIGN_OR_RETURN(std::string backup,
                            install::WriteDropIn(path, text, BackupDir(ctx), entry));
  entry["runtime"] = d.name;
  entry["runtime_path"] = d.runtime_path;
  state[e.key] = entry;
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("wrote {} (runtime \"{}\" = {}){}\n", path, d.name, d.runtime_path,
             backup.empty() ? "" : "; the file that was there is kept as " + backup);
  if (&e == &kPodman && ctx.config_dir != kDefaultConfigDir) {
    fmt::print(
        "note: podman passes no environment to runtimes; run podman with --runtime-flag "
        "config-dir={}\n",
        ctx.config_dir);
  }
  fmt::print("{}\n", e.apply_step);
  return Ok();
}

Status Uninstall(const CtlContext& ctx, const Engine& e) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  if (!state.contains(e.key)) {
    return MakeError(ErrorKind::kNotFound, "{}/install-state.json records no {} install",
                     ctx.config_dir, e.key);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> done,
                            install::RemoveDropIn(state[e.key], BackupDir(ctx)));
  for (const auto& line : done) fmt::print("{}\n", line);
  state.erase(e.key);
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("{}\n", e.apply_step);
  return Ok();
}

// --hook and its options (the hooks.d file, install/oci_hook_config.h) are an alternative to
// the runtime drop-in: CLI11 refuses the hook options without --hook and mixing the two.
void AddHookOptions(CLI::App* cmd, Args& a, bool install) {
  auto* hook = cmd->add_flag("--hook", a.hook,
                             std::string("the OCI hook for every runtime: ") +
                                 (install ? "write" : "remove") +
                                 " <hooks-dir>/verified.json instead of the runtime drop-in");
  cmd->add_option("--hooks-dir", a.hook_args.hooks_dir,
                  std::string("with --hook: the hooks directory (default ") +
                      install::kDefaultHooksDir + ")")
      ->needs(hook);
  if (!install) return;
  cmd->add_option("--hook-path", a.hook_args.hook_path,
                  "with --hook: verified-hook binary (default: next to verifiedctl, else "
                  "/usr/local/bin/verified-hook)")
      ->needs(hook);
  cmd->add_option("--hook-timeout", a.hook_args.timeout_seconds,
                  "with --hook: seconds before the runtime kills the hook and fails the create "
                  "(default " +
                      std::to_string(install::kDefaultHookTimeoutSeconds) + ")")
      ->needs(hook);
  cmd->add_option("--hook-stage", a.hook_args.stage,
                  "with --hook: createRuntime, or prestart for engines that offer only that")
      ->capture_default_str()
      ->needs(hook);
  cmd->add_option("--seal-dir", a.hook_args.seal_dir,
                  "with --hook: the seal index the hook reads; verified-runtime's (default "
                  "/run/verified/seals)")
      ->needs(hook);
  for (const char* runtime_opt : {"--runtime-path", "--default-runtime", "--runtime-root"}) {
    if (auto* o = cmd->get_option_no_throw(runtime_opt)) hook->excludes(o);
  }
}

void Add(CLI::App& app, CtlContext& ctx, const Engine& e, bool install) {
  auto* group = app.get_subcommand(install ? "install" : "uninstall");
  auto a = std::make_shared<Args>();
  auto* cmd = group->add_subcommand(e.key, e.title);
  if (install) {
    auto* drop_in =
        cmd->add_option(e.path_option, a->drop_in,
                        std::string("drop-in file to write (default ") + e.default_path + ")");
    cmd->add_option("--runtime-path", a->runtime_path, "verified-runtime binary");
    cmd->add_flag("--default-runtime", a->default_runtime,
                  "also make verified the engine's default runtime");
    if (&e == &kCrio) {
      cmd->add_option("--runtime-root", a->runtime_root, "runc state directory for the handler")
          ->capture_default_str();
    }
    AddHookOptions(cmd, *a, install);
    cmd->get_option("--hook")->excludes(drop_in);
  } else {
    AddHookOptions(cmd, *a, install);
  }
  cmd->callback([&ctx, &e, a, install] {
    Status st = Ok();
    if (a->hook) {
      st = install ? InstallHook(ctx, e.key, a->hook_args)
                   : UninstallHook(ctx, e.key, a->hook_args.hooks_dir);
    } else {
      st = install ? Install(ctx, e, *a) : Uninstall(ctx, e);
    }
    if (!st.ok()) ctx.Fail(std::move(st).error());
  });
}

}  // namespace

void AddContainersStorageInstallCommands(CLI::App& app, CtlContext& ctx) {
  for (bool install : {true, false}) {
    Add(app, ctx, kPodman, install);
    Add(app, ctx, kCrio, install);
  }
}

}  // namespace verified::ctl
