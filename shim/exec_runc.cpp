#include "shim/exec_runc.h"

#include <sys/stat.h>
#include <unistd.h>

#include "verifier/fs/dir.h"

namespace verified::shim {
namespace {

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

}  // namespace

Result<std::string> FindRunc(const std::string& configured, const std::string& path_env) {
  struct stat self;
  if (stat("/proc/self/exe", &self) != 0) return SysError(errno, "stat /proc/self/exe");
  if (!configured.empty()) {
    struct stat st;
    if (stat(configured.c_str(), &st) != 0) return SysError(errno, "runc " + configured);
    if (SameFile(st, self)) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "configured runc {} is verified-runtime itself; set \"runc\" in "
                       "runtime.json to the real runc",
                       configured);
    }
    return configured;
  }
  bool saw_self = false;
  for (const auto& dir : SplitSearchPath(path_env)) {
    std::string cand = dir + "/runc";
    struct stat st;
    if (stat(cand.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || access(cand.c_str(), X_OK) != 0) {
      continue;
    }
    if (SameFile(st, self)) {
      saw_self = true;
      continue;
    }
    return cand;
  }
  if (saw_self) {
    return MakeError(ErrorKind::kNotFound,
                     "every runc on PATH is verified-runtime itself; set \"runc\" in "
                     "runtime.json to the diverted runc");
  }
  return MakeError(ErrorKind::kNotFound, "no runc found on PATH; set \"runc\" in runtime.json");
}

Error ExecRunc(const std::string& runc, const std::vector<std::string>& args) {
  std::vector<char*> argv;
  argv.reserve(args.size() + 2);
  argv.push_back(const_cast<char*>(runc.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  execv(runc.c_str(), argv.data());
  return SysError(errno, "exec " + runc);
}

}  // namespace verified::shim
