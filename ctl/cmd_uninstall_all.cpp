#include "ctl/cmd_uninstall_all.h"

#include "ctl/app.h"
#include "install/install_state.h"

namespace verified::ctl {
namespace {

// install-state.json keys in undo order, each with the uninstall subcommand that owns it.
struct Undo {
  const char* key;
  std::vector<std::string> args;
};
const std::vector<Undo>& UndoOrder() {
  static const std::vector<Undo> order = {
      {"crio-hook", {"crio", "--hook"}},
      {"podman-hook", {"podman", "--hook"}},
      {"crio", {"crio"}},
      {"podman", {"podman"}},
      {"containerd", {"containerd"}},
      {"docker", {"docker", "--remove-created"}},
  };
  return order;
}

Status UninstallAll(const CtlContext& ctx) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::ordered_json state,
                            install::LoadInstallState(ctx.config_dir));
  VERIFIED_ASSIGN_OR_RETURN(auto commands, UninstallCommandsFor(state));
  if (commands.empty()) {
    fmt::print("{}/install-state.json records no install: nothing to undo\n", ctx.config_dir);
    return Ok();
  }
  // Each engine's own `uninstall ENGINE` command runs, exactly as typed by hand, and one
  // engine's failure does not stop the others from being restored.
  size_t failed = 0;
  for (const auto& args : commands) {
    std::vector<std::string> argv = {"uninstall"};
    argv.insert(argv.end(), args.begin(), args.end());
    if (RunNestedCommand(ctx, argv) != kExitOk) ++failed;
  }
  if (failed > 0) {
    return MakeError(ErrorKind::kIo, "{} of {} uninstalls failed (see above)", failed,
                     commands.size());
  }
  return Ok();
}

}  // namespace

Result<std::vector<std::vector<std::string>>> UninstallCommandsFor(
    const nlohmann::ordered_json& state) {
  if (!state.is_object()) return MakeError(ErrorKind::kParse, "install state is not an object");
  for (const auto& [key, value] : state.items()) {
    bool known = false;
    for (const auto& u : UndoOrder()) known = known || key == u.key;
    if (!known) {
      return MakeError(ErrorKind::kParse,
                       "install state records \"{}\", which this verifiedctl "
                       "cannot undo: uninstall it by hand",
                       key);
    }
  }
  std::vector<std::vector<std::string>> commands;
  for (const auto& u : UndoOrder()) {
    if (state.contains(u.key)) commands.push_back(u.args);
  }
  return commands;
}

void AddUninstallAllCommand(CLI::App& app, CtlContext& ctx) {
  auto* all =
      app.get_subcommand("uninstall")
          ->add_subcommand(
              "all",
              "Undo every install install-state.json records (the package's prerm runs this)");
  all->callback([&ctx] {
    if (auto st = UninstallAll(ctx); !st.ok()) ctx.Fail(std::move(st).error());
  });
}

}  // namespace verified::ctl
