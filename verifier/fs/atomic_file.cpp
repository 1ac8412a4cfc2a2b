#include "verifier/fs/atomic_file.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "verifier/fs/dir.h"

namespace verified {
namespace {

std::string DirName(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return path.substr(0, slash);
}

Status FsyncDir(const std::string& dir) {
  int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SysError(errno, "open " + dir);
  int rc = fsync(fd);
  int saved = errno;
  close(fd);
  if (rc != 0) return SysError(saved, "fsync " + dir);
  return Ok();
}

Status WriteAll(int fd, std::string_view content, const std::string& what) {
  size_t off = 0;
  while (off < content.size()) {
    ssize_t n = write(fd, content.data() + off, content.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError(errno, "write " + what);
    }
    off += static_cast<size_t>(n);
  }
  return Ok();
}

}  // namespace

Status WriteFileAtomic(const std::string& path, std::string_view content, unsigned mode) {
  std::string tmpl = path + ".tmp.XXXXXX";
  int fd = mkostemp(tmpl.data(), O_CLOEXEC);
  if (fd < 0) return SysError(errno, "create temp file for " + path);
  auto fail = [&](Error e) {
    close(fd);
    unlink(tmpl.c_str());
    return e;
  };
  if (fchmod(fd, mode) != 0) return fail(SysError(errno, "chmod " + tmpl));
  if (auto st = WriteAll(fd, content, tmpl); !st.ok()) return fail(std::move(st).error());
  if (fsync(fd) != 0) return fail(SysError(errno, "fsync " + tmpl));
  close(fd);
  if (rename(tmpl.c_str(), path.c_str()) != 0) {
    int saved = errno;
    unlink(tmpl.c_str());
    return SysError(saved, "rename to " + path);
  }
  return FsyncDir(DirName(path));
}

Status RemoveFileDurable(const std::string& path) {
  if (unlink(path.c_str()) != 0) {
    if (errno == ENOENT) return Ok();
    return SysError(errno, "remove " + path);
  }
  return FsyncDir(DirName(path));
}

Status MakeDirs(const std::string& path, unsigned mode) {
  if (path.empty()) return MakeError(ErrorKind::kInvalidArgument, "empty directory path");
  size_t pos = 1;
  while (true) {
    auto slash = path.find('/', pos);
    std::string part = path.substr(0, slash);
    if (mkdir(part.c_str(), mode) != 0 && errno != EEXIST) {
      return SysError(errno, "mkdir " + part);
    }
    if (slash == std::string::npos) break;
    pos = slash + 1;
  }
  return Ok();
}

Result<FileLock> FileLock::Acquire(const std::string& path) {
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return SysError(errno, "open lock " + path);
  while (flock(fd, LOCK_EX) != 0) {
    if (errno == EINTR) continue;
    int saved = errno;
    close(fd);
    return SysError(saved, "lock " + path);
  }
  return FileLock(fd);
}

FileLock::~FileLock() {
  if (fd_ >= 0) close(fd_);  // closing releases the flock
}

}  // namespace verified
