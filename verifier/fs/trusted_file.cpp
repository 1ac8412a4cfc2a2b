#include "verifier/fs/trusted_file.h"

#include <fcntl.h>
#include <unistd.h>

#include "verifier/fs/dir.h"

namespace verified {

Status CheckTrustedStat(const struct stat& st, const std::string& path) {
  if (S_ISLNK(st.st_mode)) {
    return MakeError(ErrorKind::kPermission, "{} is a symlink; make it a regular file", path);
  }
  if (st.st_uid != 0 && st.st_uid != geteuid()) {
    return MakeError(ErrorKind::kPermission, "{} is owned by uid {}; fix with: chown root {}", path,
                     st.st_uid, path);
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    return MakeError(ErrorKind::kPermission, "{} is writable by {}; fix with: chmod go-w {}", path,
                     (st.st_mode & S_IWOTH) ? "everyone" : "its group", path);
  }
  return Ok();
}

Status CheckTrustedPath(const std::string& path) {
  struct stat st;
  if (lstat(path.c_str(), &st) != 0) return SysError(errno, path);
  return CheckTrustedStat(st, path);
}

Result<std::string> ReadTrustedFd(int fd, const std::string& path, size_t limit) {
  struct stat st;
  if (fstat(fd, &st) != 0) return SysError(errno, "stat " + path);
  if (!S_ISREG(st.st_mode)) {
    return MakeError(ErrorKind::kUnsafePath, "{}: not a regular file", path);
  }
  VERIFIED_RETURN_IF_ERROR(CheckTrustedStat(st, path));
  return ReadFdLimited(fd, limit, path);
}

Result<std::string> ReadTrustedFile(const std::string& path, size_t limit) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    // O_NOFOLLOW on a symlink fails with ELOOP: say what the admin has to fix.
    if (errno == ELOOP) {
      return MakeError(ErrorKind::kPermission, "{} is a symlink; make it a regular file", path);
    }
    return SysError(errno, "open " + path);
  }
  auto data = ReadTrustedFd(fd, path, limit);
  close(fd);
  return data;
}

}  // namespace verified
