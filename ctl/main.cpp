// verifiedctl: register images, edit and lint policy, check images, explain containers,
// install into engines.
#include <CLI/CLI.hpp>

#include "ctl/app.h"
#include "ctl/context.h"
#include "verifier/config/config_dir.h"
#include "verifier/config/state_dir.h"
#include "verifier/core/env.h"
#include "verifier/seal/seal_index.h"

int main(int argc, char** argv) {
  using namespace verified::ctl;
  CtlContext ctx;
  ctx.config_dir = verified::EnvOr("VERIFIED_CONFIG_DIR", verified::kDefaultConfigDir);
  ctx.seal_dir = verified::EnvOr("VERIFIED_SEAL_DIR", verified::kDefaultSealDir);
  ctx.state_dir = verified::EnvOr("VERIFIED_STATE_DIR", verified::kDefaultStateDir);
  CLI::App app{"verifiedctl: administer the verified OCI runtime"};
  app.set_version_flag("--version", "verifiedctl 0.1.0");
  app.add_option("--config-dir", ctx.config_dir, "configuration directory")->capture_default_str();
  app.add_option("--state-dir", ctx.state_dir,
                 "state directory (signed policy high-water mark; never inside the config dir)")
      ->capture_default_str();
  app.require_subcommand(1);
  AddAllCommands(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : kExitError;
  }
  return ctx.exit_code;
}
