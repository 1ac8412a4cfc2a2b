#include "ctl/cmd_containerd.h"

#include <unistd.h>

#include <memory>

#include "ctl/cmd_install.h"
#include "ctl/policy_edit.h"
#include "install/containerd_config.h"
#include "install/install_state.h"
#include "verifier/config/config_dir.h"
#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

constexpr const char* kDefaultContainerdConfig = "/etc/containerd/config.toml";

struct ContainerdArgs {
  std::string config = kDefaultContainerdConfig;
  std::string runtime_path;
  std::string runtime_name = "verified";
};

Status InstallContainerd(const CtlContext& ctx, const ContainerdArgs& a) {
  install::ContainerdRuntimeEntry entry;
  entry.name = a.runtime_name;
  entry.runtime_path = a.runtime_path.empty() ? DefaultRuntimePath() : a.runtime_path;
  if (access(entry.runtime_path.c_str(), X_OK) != 0) {
    return MakeError(ErrorKind::kNotFound, "runtime binary {} is not executable here",
                     entry.runtime_path);
  }
  if (access(PolicyPath(ctx.config_dir).c_str(), F_OK) != 0) {
    VERIFIED_RETURN_IF_ERROR(
        EditPolicy(ctx.config_dir, [](nlohmann::ordered_json&) { return Ok(); }));
    fmt::print("created {} (enforce, default deny): register images and allow them\n",
               PolicyPath(ctx.config_dir));
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  auto existing = ReadFileLimited(a.config, 16u << 20);
  if (!existing.ok() && existing.error().kind() != ErrorKind::kNotFound) {
    return std::move(existing).error();
  }
  VERIFIED_ASSIGN_OR_WRAP(install::ContainerdMerge merged,
                          install::MergeContainerdConfig(existing.ok() ? *existing : "", entry),
                          "{}", a.config);
  VERIFIED_ASSIGN_OR_RETURN(std::string backup, install::ReplaceWithBackup(a.config, merged.text));
  state["containerd"] = {{"config", a.config}, {"runtime", entry.name}};
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("added CRI runtime \"{}\" ({}) to {}{}\n", entry.name, entry.runtime_path, a.config,
             backup.empty() ? "" : " (backup: " + backup + ")");
  if (merged.added_builtin) {
    fmt::print(
        "also wrote containerd's built-in default runtime \"{}\" (the file named no runtime; "
        "without it the CRI plugin would not load); uninstall removes it too\n",
        install::kBuiltInRuntime);
  }
  if (ctx.config_dir != kDefaultConfigDir) {
    fmt::print(
        "note: containerd cannot pass arguments to a runtime binary; it reads {} unless "
        "containerd runs with VERIFIED_CONFIG_DIR={} in its environment (systemd: "
        "Environment=VERIFIED_CONFIG_DIR={})\n",
        kDefaultConfigDir, ctx.config_dir, ctx.config_dir);
  }
  fmt::print(
      "restart containerd to apply (systemctl restart containerd), then give pods the runtime "
      "class: kubectl apply -f install/kubernetes/runtimeclass.yaml and runtimeClassName: {}\n",
      entry.name);
  return Ok();
}

Status UninstallContainerd(const CtlContext& ctx, const ContainerdArgs& a) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  std::string config = a.config, name = a.runtime_name;
  if (state.contains("containerd") && state["containerd"].is_object()) {
    const auto& c = state["containerd"];
    if (c.contains("config") && c["config"].is_string()) config = c["config"];
    if (c.contains("runtime") && c["runtime"].is_string()) name = c["runtime"];
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string existing, ReadFileLimited(config, 16u << 20));
  VERIFIED_ASSIGN_OR_WRAP(std::string text, install::UnmergeContainerdConfig(existing, name), "{}",
                          config);
  VERIFIED_ASSIGN_OR_RETURN(std::string backup, install::ReplaceWithBackup(config, text));
  state.erase("containerd");
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("removed CRI runtime \"{}\" from {} (backup: {})\n", name, config, backup);
  fmt::print("restart containerd to apply: systemctl restart containerd\n");
  return Ok();
}

}  // namespace

void AddContainerdCommands(CLI::App& app, CtlContext& ctx) {
  for (const char* name : {"register", "check"}) {
    auto* sub = app.get_subcommand(name);
    sub->add_option("--containerd-root", ctx.containerd_root,
                    "containerd's root (default: from the daemon at CONTAINERD_ADDRESS)");
    sub->add_option("--namespace", ctx.containerd_namespace,
                    "containerd namespace (default: CONTAINERD_NAMESPACE, else \"default\")");
  }
  for (bool install : {true, false}) {
    auto a = std::make_shared<ContainerdArgs>();
    auto* group = app.get_subcommand(install ? "install" : "uninstall");
    auto* c = group->add_subcommand(
        "containerd",
        "containerd's CRI plugin (config.toml runtime for a Kubernetes RuntimeClass)");
    c->add_option("--config", a->config, "containerd config.toml to edit")->capture_default_str();
    c->add_option("--runtime-name", a->runtime_name, "runtime (RuntimeClass handler) name")
        ->capture_default_str();
    if (install) c->add_option("--runtime-path", a->runtime_path, "verified-runtime binary");
    c->callback([&ctx, a, install] {
      auto st = install ? InstallContainerd(ctx, *a) : UninstallContainerd(ctx, *a);
      if (!st.ok()) ctx.Fail(std::move(st).error());
    });
  }
}

}  // namespace verified::ctl
