#include "ctl/app.h"

#include "ctl/cmd_attestation.h"
#include "ctl/cmd_audit.h"
#include "ctl/cmd_check.h"
#include "ctl/cmd_containerd.h"
#include "ctl/cmd_install.h"
#include "ctl/cmd_install_cstorage.h"
#include "ctl/cmd_key.h"
#include "ctl/cmd_policy.h"
#include "ctl/cmd_register.h"
#include "ctl/cmd_sign.h"
#include "ctl/cmd_signature.h"
#include "ctl/cmd_uninstall_all.h"

namespace verified::ctl {

void AddAllCommands(CLI::App& app, CtlContext& ctx) {
  AddRegisterCommands(app, ctx);
  AddPolicyCommands(app, ctx);
  AddCheckCommands(app, ctx);
  AddInstallCommands(app, ctx);
  AddContainersStorageInstallCommands(app, ctx);
  AddContainerdCommands(app, ctx);
  AddUninstallAllCommand(app, ctx);  // after the engines' uninstall subcommands
  AddAuditCommand(app, ctx);
  AddKeyCommands(app, ctx);
  AddSignatureCommands(app, ctx);
  AddSignCommand(app, ctx);
  AddAttestationCommands(app, ctx);
}

int RunNestedCommand(const CtlContext& parent, const std::vector<std::string>& args) {
  CtlContext ctx = parent;
  ctx.exit_code = kExitOk;
  CLI::App app{"verifiedctl"};
  app.require_subcommand(1);
  AddAllCommands(app, ctx);
  std::vector<std::string> storage = {"verifiedctl"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<const char*> argv;
  for (const auto& a : storage) argv.push_back(a.c_str());
  try {
    app.parse(static_cast<int>(argv.size()), argv.data());
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? kExitOk : kExitError;
  }
  return ctx.exit_code;
}

}  // namespace verified::ctl
