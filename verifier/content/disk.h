// Low-level, traversal-safe access to a layer directory on disk.
//
// Everything below a layer root is untrusted. Directories and files are opened one level at a
// time relative to an already-open directory with openat2(RESOLVE_BENEATH |
// RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV): no symlink is ever followed
// and no mount point is crossed, so a planted symlink cannot lead outside the layer and a
// bind mount cannot show the verifier other bytes than overlayfs uses (overlayfs does not see
// mounts inside its lower directories). Objects are identified with statx including the mount
// id, which must equal the layer root's.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "verifier/content/layer_tree.h"
#include "verifier/core/result.h"

namespace verified::content {

/// The attributes of one on-disk object that content checks compare or fingerprint.
struct DiskStat {
  uint64_t ino = 0;
  int64_t size = 0;
  int64_t mtime_sec = 0;
  uint32_t mtime_nsec = 0;
  int64_t ctime_sec = 0;
  uint32_t ctime_nsec = 0;
  uint32_t mode = 0;  ///< st_mode: type and permission bits
  uint32_t uid = 0, gid = 0;
  uint32_t nlink = 0;
  uint32_t rdev_major = 0, rdev_minor = 0;
  uint64_t mnt_id = 0;

  /// The fields `cached` mode fingerprints: inode, size, mtime, ctime, mode, owner.
  bool SameFingerprint(const DiskStat& o) const {
    return ino == o.ino && size == o.size && mtime_sec == o.mtime_sec &&
           mtime_nsec == o.mtime_nsec && ctime_sec == o.ctime_sec && ctime_nsec == o.ctime_nsec &&
           mode == o.mode && uid == o.uid && gid == o.gid;
  }
};

/// The node type a stat describes (a character device 0/0 is a whiteout). Sockets and
/// unknown types give false.
bool DiskNodeType(const DiskStat& st, NodeType& out);

/// A move-only file descriptor.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd();
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

/// Opens a layer root directory (an engine path; its last component must not be a symlink)
/// and returns it with its stat.
Result<std::pair<Fd, DiskStat>> OpenLayerRoot(const std::string& path);

/// Opens `rel` beneath `dirfd` with openat2 (see the file comment). `flags` are open flags.
/// Errors: kUnsafePath for a symlink or mount crossing, kNotFound, kIo.
Result<Fd> OpenBeneath(int dirfd, std::string_view rel, int flags);

/// statx of an open fd (AT_EMPTY_PATH) or of `name` in `dirfd` (not following symlinks).
Result<DiskStat> StatFd(int fd);
/// The DiskStat of a `struct stat` (mount id left 0).
DiskStat FromStat(const struct stat& st);
/// fstat of an open fd: the same fields except the mount id (left 0); cheaper, for fds that
/// openat2 opened with RESOLVE_NO_XDEV.
Result<DiskStat> FstatFd(int fd);
Result<DiskStat> StatAt(int dirfd, const char* name);

/// Extended attributes of an open fd, or of `name` in directory `dirfd` (via
/// /proc/self/fd/<dirfd>/<name>, without following a final symlink). Sorted by name.
/// At most kMaxXattrs of at most kMaxXattrValue bytes each (kTooLarge beyond).
Result<std::vector<std::pair<std::string, std::string>>> XattrsFd(int fd);
Result<std::vector<std::pair<std::string, std::string>>> XattrsAt(int dirfd, const char* name);

/// Target of the symlink `name` in `dirfd` (at most kMaxPathBytes).
Result<std::string> ReadLinkAt(int dirfd, const char* name);

/// Splits the overlay opaque marker (trusted.overlay.opaque / user.overlay.opaque = "y") and
/// labels the host adds on its own (security.selinux) off a disk xattr list. Returns true when
/// the directory is opaque.
bool SplitOpaque(std::vector<std::pair<std::string, std::string>>& xattrs);

/// Reads exactly `size` bytes of `fd` into `fn(data, len)` through `buf`. Returns the number
/// of bytes actually available (less than `size` when the file is shorter).
template <typename Fn>
Result<uint64_t> StreamFile(int fd, uint64_t size, char* buf, size_t buflen, Fn&& fn);

/// Joins a directory path and a name ("" + "a" = "a").
inline std::string JoinPath(std::string_view dir, std::string_view name) {
  std::string out;
  out.reserve(dir.size() + 1 + name.size());
  out.append(dir);
  if (!dir.empty()) out += '/';
  out.append(name);
  return out;
}

}  // namespace verified::content

#include "verifier/content/disk_inl.h"
