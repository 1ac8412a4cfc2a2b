#include "install/runc_diversion.h"

#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "install/run_command.h"
#include "verifier/fs/dir.h"

namespace verified::install {

Result<RuncDiversion> LocateRunc(const std::string& path_env) {
  for (const auto& dir : SplitSearchPath(path_env)) {
    std::string cand = dir + "/runc";
    char real[PATH_MAX];
    if (access(cand.c_str(), X_OK) == 0 && realpath(cand.c_str(), real) != nullptr) {
      std::string r(real);
      return RuncDiversion{r, r + ".verified-real"};
    }
  }
  return MakeError(ErrorKind::kNotFound, "no runc on PATH to divert");
}

Status DivertRunc(const RuncDiversion& d, const std::string& runtime_path) {
  struct stat st;
  bool diverted = stat(d.diverted_path.c_str(), &st) == 0;
  if (!diverted) {
    auto out = RunCommand(
        {"dpkg-divert", "--local", "--add", "--rename", "--divert", d.diverted_path, d.runc_path});
    if (!out.ok()) return Wrap(std::move(out).error(), "divert {}", d.runc_path);
  }
  // Replace whatever is at runc_path now (nothing after --rename, or our old link).
  if (lstat(d.runc_path.c_str(), &st) == 0) {
    if (!S_ISLNK(st.st_mode)) {
      return MakeError(ErrorKind::kInconsistent,
                       "{} is still a regular file after diversion; refusing to overwrite it",
                       d.runc_path);
    }
    if (unlink(d.runc_path.c_str()) != 0) return SysError(errno, "remove " + d.runc_path);
  }
  if (symlink(runtime_path.c_str(), d.runc_path.c_str()) != 0) {
    return SysError(errno, "link " + d.runc_path + " to " + runtime_path);
  }
  return Ok();
}

Status UndivertRunc(const RuncDiversion& d) {
  struct stat st;
  if (lstat(d.runc_path.c_str(), &st) == 0) {
    if (!S_ISLNK(st.st_mode)) {
      return MakeError(ErrorKind::kInconsistent, "{} is not our symlink; refusing to remove it",
                       d.runc_path);
    }
    if (unlink(d.runc_path.c_str()) != 0) return SysError(errno, "remove " + d.runc_path);
  }
  auto out = RunCommand(
      {"dpkg-divert", "--local", "--remove", "--rename", "--divert", d.diverted_path, d.runc_path});
  if (!out.ok()) return Wrap(std::move(out).error(), "undivert {}", d.runc_path);
  return Ok();
}

}  // namespace verified::install
