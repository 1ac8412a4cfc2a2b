#include "verifier/config/state_dir.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <cerrno>

#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/fs/trusted_file.h"

namespace verified {
namespace {

// The absolute, symlink-free spelling of `path`, resolving its longest existing prefix (the
// state dir may not exist yet) and appending the rest as written.
std::string Resolve(const std::string& original) {
  std::string path = original;
  std::string tail;
  while (true) {
    char buf[PATH_MAX];
    if (realpath(path.c_str(), buf) != nullptr) {
      std::string out(buf);
      if (!tail.empty()) out += (out == "/" ? "" : "/") + tail;
      return out;
    }
    if (path == "." || path == "/") return original;
    auto slash = path.find_last_of('/');
    std::string leaf = slash == std::string::npos ? path : path.substr(slash + 1);
    path = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
    if (!leaf.empty() && leaf != ".") tail = tail.empty() ? leaf : leaf + "/" + tail;
  }
}

}  // namespace

Status CheckStateDirPlacement(const std::string& state_dir, const std::string& config_dir) {
  if (state_dir.empty()) return MakeError(ErrorKind::kInvalidArgument, "the state dir is empty");
  std::string state = Resolve(state_dir);
  std::string config = Resolve(config_dir);
  if (state == config || state.rfind(config + "/", 0) == 0) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "state dir {} is inside the config dir {}: a rollback of the config dir "
                     "would roll it back too; use --state-dir (default /var/lib/verified)",
                     state_dir, config_dir);
  }
  return Ok();
}

Status EnsureStateDir(const std::string& state_dir, const std::string& config_dir) {
  VERIFIED_RETURN_IF_ERROR(CheckStateDirPlacement(state_dir, config_dir));
  Status st = CheckTrustedPath(state_dir);
  if (st.ok()) return st;
  if (st.error().kind() != ErrorKind::kNotFound) return st;
  VERIFIED_RETURN_IF_ERROR(MakeDirs(state_dir, 0755));
  // MakeDirs leaves existing parents alone; the state dir itself is private.
  if (chmod(state_dir.c_str(), 0700) != 0) return SysError(errno, "chmod " + state_dir);
  return CheckTrustedPath(state_dir);
}

}  // namespace verified
