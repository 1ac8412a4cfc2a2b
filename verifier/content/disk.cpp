#include "verifier/content/disk.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>

#include "verifier/content/limits.h"
#include "verifier/fs/dir.h"

namespace verified::content {
namespace {

DiskStat FromStatx(const struct statx& sx) {
  DiskStat d;
  d.ino = sx.stx_ino;
  d.size = static_cast<int64_t>(sx.stx_size);
  d.mtime_sec = sx.stx_mtime.tv_sec;
  d.mtime_nsec = sx.stx_mtime.tv_nsec;
  d.ctime_sec = sx.stx_ctime.tv_sec;
  d.ctime_nsec = sx.stx_ctime.tv_nsec;
  d.mode = sx.stx_mode;
  d.uid = sx.stx_uid;
  d.gid = sx.stx_gid;
  d.nlink = sx.stx_nlink;
  d.rdev_major = sx.stx_rdev_major;
  d.rdev_minor = sx.stx_rdev_minor;
  d.mnt_id = sx.stx_mnt_id;
  return d;
}

constexpr unsigned kStatxMask = STATX_BASIC_STATS | STATX_MNT_ID;

Result<std::vector<std::pair<std::string, std::string>>> ReadXattrs(
    const std::function<ssize_t(char*, size_t)>& list,
    const std::function<ssize_t(const char*, char*, size_t)>& get, std::string_view what) {
  std::vector<std::pair<std::string, std::string>> out;
  // Ask for the size first: most files have no xattrs, and the kernel allocates a buffer as
  // large as the one offered on every call.
  ssize_t n = list(nullptr, 0);
  if (n < 0) {
    if (errno == ENOTSUP) return out;
    return SysError(errno, fmt::format("list xattrs of {}", what));
  }
  if (n == 0) return out;
  char names[16384];
  n = list(names, sizeof(names));
  if (n < 0) {
    if (errno == ENOTSUP) return out;
    if (errno == ERANGE) return MakeError(ErrorKind::kTooLarge, "{}: too many xattrs", what);
    return SysError(errno, fmt::format("list xattrs of {}", what));
  }
  std::string value;
  for (ssize_t pos = 0; pos < n;) {
    const char* name = names + pos;
    size_t len = strnlen(name, static_cast<size_t>(n - pos));
    pos += static_cast<ssize_t>(len) + 1;
    if (len == 0) continue;
    if (out.size() >= kMaxXattrs) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} xattrs", what, kMaxXattrs);
    }
    value.resize(kMaxXattrValue);
    ssize_t v = get(name, value.data(), value.size());
    if (v < 0) {
      if (errno == ENODATA) continue;  // removed while we listed
      if (errno == ERANGE) {
        return MakeError(ErrorKind::kTooLarge, "{}: xattr {} is larger than {} bytes", what, name,
                         kMaxXattrValue);
      }
      return SysError(errno, fmt::format("read xattr {} of {}", name, what));
    }
    out.emplace_back(std::string(name, len), value.substr(0, static_cast<size_t>(v)));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool DiskNodeType(const DiskStat& st, NodeType& out) {
  switch (st.mode & S_IFMT) {
    case S_IFREG:
      out = NodeType::kRegular;
      return true;
    case S_IFDIR:
      out = NodeType::kDirectory;
      return true;
    case S_IFLNK:
      out = NodeType::kSymlink;
      return true;
    case S_IFCHR:
      out = (st.rdev_major == 0 && st.rdev_minor == 0) ? NodeType::kWhiteout : NodeType::kChar;
      return true;
    case S_IFBLK:
      out = NodeType::kBlock;
      return true;
    case S_IFIFO:
      out = NodeType::kFifo;
      return true;
    default:
      return false;
  }
}

Fd::~Fd() {
  if (fd_ >= 0) close(fd_);
}

Fd& Fd::operator=(Fd&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) close(fd_);
    fd_ = o.fd_;
    o.fd_ = -1;
  }
  return *this;
}

Result<std::pair<Fd, DiskStat>> OpenLayerRoot(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return SysError(errno, fmt::format("open layer directory {}", path));
  Fd owned(fd);
  VERIFIED_ASSIGN_OR_RETURN(DiskStat st, StatFd(fd));
  return std::make_pair(std::move(owned), st);
}

Result<Fd> OpenBeneath(int dirfd, std::string_view rel, int flags) {
  std::string rel_s(rel);
  struct open_how how;
  memset(&how, 0, sizeof(how));
  how.flags = static_cast<uint64_t>(flags | O_CLOEXEC | O_NOFOLLOW);
  how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
  long fd = syscall(SYS_openat2, dirfd, rel_s.c_str(), &how, sizeof(how));
  if (fd < 0) {
    int err = errno;
    if (err == ELOOP) {
      return MakeError(ErrorKind::kUnsafePath, "{} is (or passes through) a symlink", rel);
    }
    if (err == EXDEV) return MakeError(ErrorKind::kUnsafePath, "{} crosses a mount point", rel);
    return SysError(err, std::string(rel));
  }
  return Fd(static_cast<int>(fd));
}

Result<DiskStat> StatFd(int fd) {
  struct statx sx;
  if (statx(fd, "", AT_EMPTY_PATH | AT_STATX_SYNC_AS_STAT, kStatxMask, &sx) != 0) {
    return SysError(errno, "statx");
  }
  return FromStatx(sx);
}

DiskStat FromStat(const struct stat& st) {
  DiskStat d;
  d.ino = st.st_ino;
  d.size = st.st_size;
  d.mtime_sec = st.st_mtim.tv_sec;
  d.mtime_nsec = static_cast<uint32_t>(st.st_mtim.tv_nsec);
  d.ctime_sec = st.st_ctim.tv_sec;
  d.ctime_nsec = static_cast<uint32_t>(st.st_ctim.tv_nsec);
  d.mode = st.st_mode;
  d.uid = st.st_uid;
  d.gid = st.st_gid;
  d.nlink = static_cast<uint32_t>(st.st_nlink);
  d.rdev_major = major(st.st_rdev);
  d.rdev_minor = minor(st.st_rdev);
  return d;
}

Result<DiskStat> FstatFd(int fd) {
  struct stat st;
  if (fstat(fd, &st) != 0) return SysError(errno, "fstat");
  return FromStat(st);
}

Result<DiskStat> StatAt(int dirfd, const char* name) {
  struct statx sx;
  if (statx(dirfd, name, AT_SYMLINK_NOFOLLOW | AT_STATX_SYNC_AS_STAT, kStatxMask, &sx) != 0) {
    return SysError(errno, std::string("statx ") + name);
  }
  return FromStatx(sx);
}

Result<std::vector<std::pair<std::string, std::string>>> XattrsFd(int fd) {
  return ReadXattrs([fd](char* b, size_t n) { return flistxattr(fd, b, n); },
                    [fd](const char* name, char* b, size_t n) { return fgetxattr(fd, name, b, n); },
                    "open file");
}

Result<std::vector<std::pair<std::string, std::string>>> XattrsAt(int dirfd, const char* name) {
  // The last component is a real name, so l*xattr does not follow it even if it is a
  // symlink; /proc/self/fd/<dirfd> only stands for the directory we already hold.
  std::string path = fmt::format("/proc/self/fd/{}/{}", dirfd, name);
  return ReadXattrs(
      [&](char* b, size_t n) { return llistxattr(path.c_str(), b, n); },
      [&](const char* x, char* b, size_t n) { return lgetxattr(path.c_str(), x, b, n); }, name);
}

Result<std::string> ReadLinkAt(int dirfd, const char* name) {
  char buf[kMaxPathBytes + 1];
  ssize_t n = readlinkat(dirfd, name, buf, sizeof(buf));
  if (n < 0) return SysError(errno, std::string("readlink ") + name);
  if (static_cast<size_t>(n) > kMaxPathBytes) {
    return MakeError(ErrorKind::kTooLarge, "symlink {} target is too long", name);
  }
  return std::string(buf, static_cast<size_t>(n));
}

bool SplitOpaque(std::vector<std::pair<std::string, std::string>>& xattrs) {
  bool opaque = false;
  std::vector<std::pair<std::string, std::string>> kept;
  for (auto& kv : xattrs) {
    // Only "y" is the opaque marker the unpackers write. Any other value (overlayfs reads
    // "x" as "may hold xattr whiteouts") stays in the list and so fails the comparison.
    if ((kv.first == "trusted.overlay.opaque" || kv.first == "user.overlay.opaque") &&
        kv.second == "y") {
      opaque = true;
      continue;
    }
    // An SELinux host labels every file it creates; the label is the host's, not the layer's.
    if (kv.first == "security.selinux") continue;
    kept.push_back(std::move(kv));
  }
  xattrs.swap(kept);
  return opaque;
}

}  // namespace verified::content
