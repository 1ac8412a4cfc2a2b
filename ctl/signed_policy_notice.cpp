#include "ctl/signed_policy_notice.h"

#include <fmt/format.h>

#include <cstdio>

#include "verifier/signature/key_dir.h"

namespace verified::ctl {

void PrintSignNotice(const CtlContext& ctx) {
  auto keys = signature::ListKeys(signature::PolicyKeyDirectory(ctx.config_dir));
  if (keys.ok() && keys->empty()) return;
  fmt::print(stderr,
             "note: this host requires a signed policy ({} holds policy keys): the runtime refuses "
             "every create until the result is signed: verifiedctl policy sign --key FILE.key\n",
             signature::PolicyKeysDir(ctx.config_dir));
}

}  // namespace verified::ctl
