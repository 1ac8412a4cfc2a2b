#include "verifier/bundle/bundle_locator.h"

#include <unistd.h>

#include <climits>

#include "verifier/fs/dir.h"

namespace verified {

Result<std::string> BundleOfInitPid(pid_t pid) {
  std::string stat_path = "/proc/" + std::to_string(pid) + "/stat";
  VERIFIED_ASSIGN_OR_RETURN(std::string stat, ReadFileLimited(stat_path, 4096));
  // Field 4 (ppid) follows the parenthesised command name, which may itself contain spaces.
  auto close = stat.rfind(')');
  if (close == std::string::npos) return MakeError(ErrorKind::kParse, "{} malformed", stat_path);
  int ppid = 0;
  char state = 0;
  if (sscanf(stat.c_str() + close + 1, " %c %d", &state, &ppid) != 2 || ppid <= 1) {
    return MakeError(ErrorKind::kNotFound, "process {} has no supervising parent", pid);
  }
  char buf[PATH_MAX];
  std::string cwd_link = "/proc/" + std::to_string(ppid) + "/cwd";
  ssize_t n = readlink(cwd_link.c_str(), buf, sizeof(buf) - 1);
  if (n < 0) return SysError(errno, "readlink " + cwd_link);
  std::string bundle(buf, static_cast<size_t>(n));
  if (access((bundle + "/config.json").c_str(), R_OK) != 0) {
    return MakeError(ErrorKind::kNotFound, "parent of process {} is not in a bundle", pid);
  }
  return bundle;
}

}  // namespace verified
