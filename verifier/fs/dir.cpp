#include "verifier/fs/dir.h"

#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace verified {
namespace {

// Splits "a/b/c" into parent "a/b" and leaf "c"; parent is "" for a single component.
std::pair<std::string_view, std::string_view> SplitLeaf(std::string_view rel) {
  auto slash = rel.rfind('/');
  if (slash == std::string_view::npos) return {"", rel};
  return {rel.substr(0, slash), rel.substr(slash + 1)};
}

// openat2 is Linux 5.6+. When it is missing we fall back to a component walk with O_NOFOLLOW,
// which gives the same guarantee for trees nobody renames under us while we walk.
int OpenWalk(int dirfd, std::string_view rel, int flags) {
  int cur = dirfd;
  size_t pos = 0;
  while (true) {
    auto slash = rel.find('/', pos);
    std::string comp(
        rel.substr(pos, slash == std::string_view::npos ? rel.size() - pos : slash - pos));
    bool last = slash == std::string_view::npos;
    int next =
        openat(cur, comp.c_str(),
               last ? (flags | O_NOFOLLOW) : (O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    int saved = errno;
    if (cur != dirfd) close(cur);
    if (next < 0) {
      errno = saved;
      return -1;
    }
    if (last) return next;
    cur = next;
    pos = slash + 1;
  }
}

}  // namespace

Status CheckRelativePath(std::string_view path, size_t max_len) {
  if (path.size() > max_len) {
    return MakeError(ErrorKind::kTooLarge, "path of {} bytes exceeds the limit of {}", path.size(),
                     max_len);
  }
  if (path.empty()) return MakeError(ErrorKind::kUnsafePath, "empty path");
  if (path.find('\0') != std::string_view::npos) {
    return MakeError(ErrorKind::kUnsafePath, "path contains a NUL byte");
  }
  if (path.front() == '/') return MakeError(ErrorKind::kUnsafePath, "absolute path '{}'", path);
  size_t pos = 0;
  while (pos <= path.size()) {
    auto slash = path.find('/', pos);
    auto comp = path.substr(pos, slash == std::string_view::npos ? path.size() - pos : slash - pos);
    if (comp.empty() || comp == "." || comp == "..") {
      return MakeError(ErrorKind::kUnsafePath, "path '{}' has an empty, '.' or '..' component",
                       path);
    }
    if (slash == std::string_view::npos) break;
    pos = slash + 1;
  }
  return Ok();
}

std::string ErrnoText(int err) {
  // strerror() would say "No such file or directory" / "Permission denied"; the docker CLI
  // greps for those (cli/command/container/run.go) and turns the refusal into exit 127/126.
  switch (err) {
    case ENOENT:
      return "does not exist";
    case EACCES:
    case EPERM:
      return "access refused (errno " + std::to_string(err) + ")";
    case ELOOP:
      return "is a symlink (refused)";
    case EXDEV:
      return "resolves outside its root (refused)";
    case ENOTDIR:
      return "a path component is not a directory";
    default:
      return std::string(strerror(err));
  }
}

Error SysError(int err, std::string_view what) {
  ErrorKind kind = ErrorKind::kIo;
  if (err == ENOENT) kind = ErrorKind::kNotFound;
  if (err == ELOOP || err == EXDEV) kind = ErrorKind::kUnsafePath;
  return Error(kind, fmt::format("{}: {}", what, ErrnoText(err)));
}

Result<Dir> Dir::Open(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return SysError(errno, fmt::format("open directory {}", path));
  return Dir(fd, path);
}

Dir::~Dir() {
  if (fd_ >= 0) close(fd_);
}

Dir::Dir(Dir&& other) noexcept : fd_(other.fd_), path_(std::move(other.path_)) { other.fd_ = -1; }

Dir& Dir::operator=(Dir&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = other.fd_;
    path_ = std::move(other.path_);
    other.fd_ = -1;
  }
  return *this;
}

Result<int> Dir::OpenBeneath(std::string_view rel, int flags) const {
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckRelativePath(rel), "{}", path_);
  std::string rel_s(rel);
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  long fd = syscall(SYS_openat2, fd_, rel_s.c_str(), &how, sizeof(how));
  if (fd < 0 && errno == ENOSYS) fd = OpenWalk(fd_, rel, flags | O_CLOEXEC);
  if (fd < 0) return SysError(errno, fmt::format("{}/{}", path_, rel));
  return static_cast<int>(fd);
}

Result<Dir> Dir::OpenDir(std::string_view rel) const {
  VERIFIED_ASSIGN_OR_RETURN(int fd, OpenBeneath(rel, O_RDONLY | O_DIRECTORY));
  return Dir(fd, path_ + "/" + std::string(rel));
}

Result<int> Dir::OpenFile(std::string_view rel) const {
  VERIFIED_ASSIGN_OR_RETURN(int fd, OpenBeneath(rel, O_RDONLY | O_NOCTTY | O_NONBLOCK));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kUnsafePath, "{}/{}: not a regular file", path_, rel);
  }
  return fd;
}

Result<std::string> Dir::ReadFile(std::string_view rel, size_t limit) const {
  VERIFIED_ASSIGN_OR_RETURN(int fd, OpenFile(rel));
  auto data = ReadFdLimited(fd, limit, path_ + "/" + std::string(rel));
  close(fd);
  return data;
}

Result<Dir> Dir::OpenParent(std::string_view rel, std::string* leaf) const {
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckRelativePath(rel), "{}", path_);
  auto [parent, last] = SplitLeaf(rel);
  *leaf = std::string(last);
  if (!parent.empty()) return OpenDir(parent);
  int fd = fcntl(fd_, F_DUPFD_CLOEXEC, 0);
  if (fd < 0) return SysError(errno, "dup " + path_);
  return Dir(fd, path_);
}

Result<std::string> Dir::ReadLink(std::string_view rel) const {
  std::string leaf;
  VERIFIED_ASSIGN_OR_RETURN(Dir parent, OpenParent(rel, &leaf));
  char buf[4096];
  ssize_t n = readlinkat(parent.fd(), leaf.c_str(), buf, sizeof(buf));
  if (n < 0) return SysError(errno, fmt::format("readlink {}/{}", path_, rel));
  if (static_cast<size_t>(n) >= sizeof(buf)) {
    return MakeError(ErrorKind::kTooLarge, "symlink {}/{} target too long", path_, rel);
  }
  return std::string(buf, static_cast<size_t>(n));
}

Result<struct stat> Dir::Lstat(std::string_view rel) const {
  std::string leaf;
  VERIFIED_ASSIGN_OR_RETURN(Dir parent, OpenParent(rel, &leaf));
  struct stat st;
  if (fstatat(parent.fd(), leaf.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
    return SysError(errno, fmt::format("stat {}/{}", path_, rel));
  }
  return st;
}

Result<bool> Dir::Exists(std::string_view rel) const {
  auto st = Lstat(rel);
  if (st.ok()) return true;
  if (st.error().kind() == ErrorKind::kNotFound) return false;
  return st.error();
}

Result<std::vector<std::string>> Dir::List(std::string_view rel, size_t max_entries) const {
  int fd;
  if (rel.empty()) {
    fd = openat(fd_, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return SysError(errno, fmt::format("open directory {}", path_));
  } else {
    VERIFIED_ASSIGN_OR_RETURN(fd, OpenBeneath(rel, O_RDONLY | O_DIRECTORY));
  }
  DIR* d = fdopendir(fd);
  if (d == nullptr) {
    int saved = errno;
    close(fd);
    return SysError(saved, fmt::format("list {}/{}", path_, rel));
  }
  std::vector<std::string> names;
  while (struct dirent* e = readdir(d)) {
    std::string_view n(e->d_name);
    if (n == "." || n == "..") continue;
    if (names.size() >= max_entries) {
      closedir(d);
      return MakeError(ErrorKind::kTooLarge, "{}/{} holds more than {} entries", path_, rel,
                       max_entries);
    }
    names.emplace_back(n);
  }
  closedir(d);
  return names;
}

Result<std::string> ReadFdLimited(int fd, size_t limit, std::string_view what) {
  std::string out;
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    if (static_cast<uint64_t>(st.st_size) > limit) {
      return MakeError(ErrorKind::kTooLarge, "{}: file of {} bytes exceeds the limit of {}", what,
                       st.st_size, limit);
    }
    out.reserve(static_cast<size_t>(st.st_size));
  }
  char buf[65536];
  while (true) {
    ssize_t n = read(fd, buf, sizeof(buf));
    if (n < 0) {
      if (errno == EINTR) continue;
      return SysError(errno, fmt::format("read {}", what));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > limit) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} bytes", what, limit);
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return out;
}

Result<std::string> ReadFileLimited(const std::string& path, size_t limit) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return SysError(errno, fmt::format("open {}", path));
  struct stat st;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return MakeError(ErrorKind::kUnsafePath, "{}: not a regular file", path);
  }
  auto data = ReadFdLimited(fd, limit, path);
  close(fd);
  return data;
}

std::vector<std::string> SplitSearchPath(const std::string& path_env) {
  std::vector<std::string> dirs;
  size_t pos = 0;
  while (pos <= path_env.size()) {
    auto colon = path_env.find(':', pos);
    if (colon == std::string::npos) colon = path_env.size();
    if (colon > pos) dirs.push_back(path_env.substr(pos, colon - pos));
    pos = colon + 1;
  }
  return dirs;
}

}  // namespace verified
