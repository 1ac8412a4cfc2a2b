#include "unit/support/run_ctl.h"

namespace verified::testing {

int RunCtl(const std::string& config_dir, std::vector<std::string> args, const AddCommands& add) {
  ctl::CtlContext ctx;
  CLI::App app;
  app.add_option("--config-dir", ctx.config_dir);
  app.require_subcommand(1);
  add(app, ctx);
  args.insert(args.begin(), {"verifiedctl", "--config-dir", config_dir});
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError&) {
    return ctl::kExitError;
  }
  return ctx.exit_code;
}

}  // namespace verified::testing
