#include "ctl/cmd_install.h"

#include <unistd.h>

#include <climits>
#include <memory>

#include "ctl/policy_edit.h"
#include "install/docker_daemon_json.h"
#include "install/install_state.h"
#include "install/runc_diversion.h"
#include "verifier/config/config_dir.h"
#include "verifier/core/env.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

struct DockerArgs {
  std::string daemon_json = "/etc/docker/daemon.json";
  std::string runtime_path;
  bool default_runtime = false;
  bool hardened = false;
  bool remove_created = false;  ///< uninstall: delete a daemon.json install created
};

Status InstallDocker(const CtlContext& ctx, const DockerArgs& a) {
  install::DockerRuntimeEntry entry;
  entry.runtime_path = a.runtime_path.empty() ? DefaultRuntimePath() : a.runtime_path;
  entry.config_dir = ctx.config_dir;
  if (!ctx.state_dir.empty()) entry.state_dir = ctx.state_dir;
  entry.set_default = a.default_runtime;
  if (access(entry.runtime_path.c_str(), X_OK) != 0) {
    return MakeError(ErrorKind::kNotFound, "runtime binary {} is not executable here",
                     entry.runtime_path);
  }
  VERIFIED_RETURN_IF_ERROR(EnsurePolicyExists(ctx.config_dir));
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  auto existing = ReadFileLimited(a.daemon_json, 16u << 20);
  if (!existing.ok() && existing.error().kind() != ErrorKind::kNotFound) {
    return std::move(existing).error();
  }
  VERIFIED_ASSIGN_OR_RETURN(install::DaemonJsonMerge merged,
                            install::MergeDaemonJson(existing.ok() ? *existing : "", entry));
  VERIFIED_ASSIGN_OR_RETURN(std::string backup,
                            install::ReplaceWithBackup(a.daemon_json, merged.text));
  auto& d = state["docker"];
  // Debian's docker.io ships no daemon.json: remember that this install created it, so that
  // uninstall (and the package's purge) leaves /etc/docker as it was, not with an empty file.
  if (!existing.ok() && !d.contains("created_daemon_json")) d["created_daemon_json"] = true;
  d["daemon_json"] = a.daemon_json;
  d["runtime"] = entry.name;
  if (a.default_runtime && !d.contains("previous_default_runtime")) {
    d["previous_default_runtime"] =
        merged.previous_default ? nlohmann::ordered_json(*merged.previous_default) : nullptr;
  }
  fmt::print("added runtime \"{}\" ({}) to {}{}\n", entry.name, entry.runtime_path, a.daemon_json,
             backup.empty() ? "" : " (backup: " + backup + ")");
  if (a.default_runtime) fmt::print("default-runtime is now \"{}\"\n", entry.name);
  if (a.hardened) {
    std::string path_env = EnvOr("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    install::RuncDiversion div;
    if (d.contains("hardened")) {
      div = {d["hardened"]["runc_path"].get<std::string>(),
             d["hardened"]["diverted_path"].get<std::string>()};
    } else {
      VERIFIED_ASSIGN_OR_RETURN(div, install::LocateRunc(path_env));
    }
    // Record the real runc first: once diverted, `runc` on PATH is verified-runtime.
    VERIFIED_RETURN_IF_ERROR(install::SetRuntimeRunc(ctx.config_dir, div.diverted_path));
    VERIFIED_RETURN_IF_ERROR(install::DivertRunc(div, entry.runtime_path));
    d["hardened"] = {{"runc_path", div.runc_path}, {"diverted_path", div.diverted_path}};
    fmt::print("hardened: {} diverted to {}; {} now runs verified-runtime\n", div.runc_path,
               div.diverted_path, div.runc_path);
    if (ctx.config_dir != kDefaultConfigDir) {
      fmt::print(
          "note: engines calling plain runc read {} unless VERIFIED_CONFIG_DIR={} is in "
          "their environment\n",
          kDefaultConfigDir, ctx.config_dir);
    }
  }
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("reload dockerd to apply: systemctl reload docker (or kill -HUP the dockerd pid)\n");
  return Ok();
}

// True when daemon.json `text` says nothing Docker does not do without the file: {} or only
// the explicit "default-runtime": "runc" that uninstall writes for a live reload.
bool OnlyDockerDefaults(const std::string& text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return false;
  if (j.contains("default-runtime") && j["default-runtime"] != "runc") return false;
  j.erase("default-runtime");
  return j.empty();
}

Status UninstallDocker(const CtlContext& ctx, const DockerArgs& a) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  nlohmann::ordered_json d =
      state.contains("docker") ? state["docker"] : nlohmann::ordered_json::object();
  std::string daemon_json =
      d.contains("daemon_json") ? d["daemon_json"].get<std::string>() : a.daemon_json;
  std::string name = d.contains("runtime") ? d["runtime"].get<std::string>() : "verified";
  // dockerd's SIGHUP reload only applies a default-runtime that is set (moby
  // daemon/reload_unix.go), so removing the key would leave verified as the live default until
  // a restart: restore Docker's own default, "runc", explicitly instead.
  std::optional<std::string> previous = "runc";
  if (d.contains("previous_default_runtime") && d["previous_default_runtime"].is_string()) {
    previous = d["previous_default_runtime"].get<std::string>();
  }
  auto existing = ReadFileLimited(daemon_json, 16u << 20);
  if (existing.ok()) {
    VERIFIED_ASSIGN_OR_RETURN(std::string text,
                              install::UnmergeDaemonJson(*existing, name, previous));
    // Only on request (`uninstall all`, the package's removal): a live dockerd re-reads the
    // file on SIGHUP, and without it a reload cannot put Docker's default runtime back.
    if (a.remove_created && d.value("created_daemon_json", false) && OnlyDockerDefaults(text)) {
      VERIFIED_RETURN_IF_ERROR(RemoveFileDurable(daemon_json));
      fmt::print("removed {} (verifiedctl install had created it): restart dockerd\n", daemon_json);
    } else {
      VERIFIED_ASSIGN_OR_RETURN(std::string backup, install::ReplaceWithBackup(daemon_json, text));
      fmt::print("removed runtime \"{}\" from {} (backup: {})\n", name, daemon_json, backup);
    }
  } else if (existing.error().kind() != ErrorKind::kNotFound) {
    return std::move(existing).error();
  }
  if (d.contains("hardened")) {
    install::RuncDiversion div{d["hardened"]["runc_path"].get<std::string>(),
                               d["hardened"]["diverted_path"].get<std::string>()};
    VERIFIED_RETURN_IF_ERROR(install::UndivertRunc(div));
    VERIFIED_RETURN_IF_ERROR(install::SetRuntimeRunc(ctx.config_dir, ""));
    fmt::print("restored {} (diversion removed)\n", div.runc_path);
  }
  state.erase("docker");
  VERIFIED_RETURN_IF_ERROR(install::SaveInstallState(ctx.config_dir, state));
  fmt::print("reload dockerd to apply: systemctl reload docker (or kill -HUP the dockerd pid)\n");
  return Ok();
}

}  // namespace

Status EnsurePolicyExists(const std::string& config_dir) {
  if (access(PolicyPath(config_dir).c_str(), F_OK) == 0) return Ok();
  fmt::print("created {} (enforce, default deny): register images and allow them\n",
             PolicyPath(config_dir));
  return EditPolicy(config_dir, [](nlohmann::ordered_json&) { return Ok(); });
}

std::string DefaultBinaryPath(const std::string& name) {
  char buf[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n > 0) {
    std::string self(buf, static_cast<size_t>(n));
    std::string sibling = self.substr(0, self.rfind('/') + 1) + name;
    if (access(sibling.c_str(), X_OK) == 0) return sibling;
  }
  return "/usr/local/bin/" + name;
}

std::string DefaultRuntimePath() { return DefaultBinaryPath("verified-runtime"); }

void AddInstallCommands(CLI::App& app, CtlContext& ctx) {
  for (bool install : {true, false}) {
    auto a = std::make_shared<DockerArgs>();
    auto* group =
        app.add_subcommand(install ? "install" : "uninstall",
                           install ? "Register verified with an engine" : "Undo what install did");
    group->require_subcommand(1);
    auto* docker = group->add_subcommand("docker", "Docker (daemon.json)");
    docker->add_option("--daemon-json", a->daemon_json, "daemon.json to edit");
    if (install) {
      docker->add_option("--runtime-path", a->runtime_path, "verified-runtime binary");
      docker->add_flag("--default-runtime", a->default_runtime,
                       "make verified Docker's default runtime");
      docker->add_flag("--hardened", a->hardened,
                       "also divert the host's runc to verified-runtime (closes --runtime=runc)");
    }
    if (!install) {
      docker->add_flag("--remove-created", a->remove_created,
                       "also delete daemon.json if install created it and it now holds only "
                       "Docker's defaults (then restart dockerd: a reload needs the file)");
    }
    docker->callback([&ctx, a, install] {
      auto st = install ? InstallDocker(ctx, *a) : UninstallDocker(ctx, *a);
      if (!st.ok()) ctx.Fail(std::move(st).error());
    });
  }
}

}  // namespace verified::ctl
