#include "ctl/context.h"

#include <pwd.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

#include "verifier/core/env.h"

namespace verified::ctl {

void CtlContext::Fail(const Error& e) { Fail(e.What()); }

void CtlContext::Fail(const std::string& message) {
  fmt::print(stderr, "verifiedctl: {}\n", message);
  exit_code = kExitError;
}

std::string NowRfc3339() {
  std::time_t t = std::time(nullptr);
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string CurrentUser() {
  uid_t uid = getuid();
  struct passwd* pw = getpwuid(uid);
  std::string name = pw != nullptr ? pw->pw_name : "uid" + std::to_string(uid);
  std::string out = fmt::format("{} (uid {})", name, uid);
  if (std::string sudo = EnvOr("SUDO_USER"); !sudo.empty() && uid == 0) {
    out = fmt::format("{} via sudo (uid {})", sudo, uid);
  }
  return out;
}

}  // namespace verified::ctl
