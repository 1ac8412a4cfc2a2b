#include "verifier/bundle/mount_lookup.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "verifier/fs/dir.h"

namespace verified {
namespace {

// Kernel ABI (include/uapi/linux/mount.h, Linux 6.8 / 6.11). Debian 12's headers predate it,
// so the layouts are spelled out here; both structs are versioned by their size field and
// only ever grow, so these prefixes stay valid.
constexpr long kSysStatmount = 457;  // x86_64, arm64 (unified table)
constexpr unsigned kStatxMntIdUnique = 0x00004000U;
constexpr uint64_t kStatmountSbBasic = 0x01, kStatmountMntPoint = 0x10, kStatmountFsType = 0x20,
                   kStatmountMntOpts = 0x80;

struct MntIdReq {
  uint32_t size;
  uint32_t spare;
  uint64_t mnt_id;
  uint64_t param;
};

struct Statmount {
  uint32_t size;
  uint32_t mnt_opts;  // [str] since 6.11 (was __spare1)
  uint64_t mask;
  uint32_t sb_dev_major;
  uint32_t sb_dev_minor;
  uint64_t sb_magic;
  uint32_t sb_flags;
  uint32_t fs_type;  // [str]
  uint64_t mnt_id;
  uint64_t mnt_parent_id;
  uint32_t mnt_id_old;
  uint32_t mnt_parent_id_old;
  uint64_t mnt_attr;
  uint64_t mnt_propagation;
  uint64_t mnt_peer_group;
  uint64_t mnt_master;
  uint64_t propagate_from;
  uint32_t mnt_root;   // [str]
  uint32_t mnt_point;  // [str]
  uint64_t mnt_ns_id;
  uint64_t spare2[49];
};
static_assert(sizeof(Statmount) == 512, "statmount fixed part is 512 bytes");

bool Unsupported(int err) { return err == ENOSYS || err == EINVAL || err == EOPNOTSUPP; }

const char* Str(const std::vector<char>& buf, uint32_t off) {
  size_t base = sizeof(Statmount);
  if (base + off >= buf.size()) return "";
  return buf.data() + base + off;
}

}  // namespace

Result<std::vector<MountEntry>> MountsAtViaStatmount(const std::string& path) {
  struct statx stx;
  if (statx(AT_FDCWD, path.c_str(), AT_SYMLINK_NOFOLLOW, kStatxMntIdUnique, &stx) != 0) {
    return SysError(errno, "statx " + path);
  }
  if (!(stx.stx_mask & kStatxMntIdUnique)) {
    return MakeError(ErrorKind::kUnsupported, "kernel has no unique mount ids");
  }
  MntIdReq req{sizeof(MntIdReq), 0, stx.stx_mnt_id,
               kStatmountSbBasic | kStatmountMntPoint | kStatmountFsType | kStatmountMntOpts};
  // Overlay option strings for deep images can be long; grow once on EOVERFLOW.
  std::vector<char> buf(16384);
  for (int attempt = 0;; ++attempt) {
    long rc = syscall(kSysStatmount, &req, buf.data(), buf.size(), 0);
    if (rc == 0) break;
    if (errno == EOVERFLOW && attempt < 3) {
      buf.resize(buf.size() * 8);
      continue;
    }
    if (Unsupported(errno)) return MakeError(ErrorKind::kUnsupported, "no statmount(2)");
    return SysError(errno, "statmount " + path);
  }
  const auto* s = reinterpret_cast<const Statmount*>(buf.data());
  if (!(s->mask & kStatmountMntOpts)) {
    return MakeError(ErrorKind::kUnsupported, "statmount(2) without mount options (Linux < 6.11)");
  }
  std::vector<MountEntry> out;
  MountEntry m;
  m.mount_point = Str(buf, s->mnt_point);
  if (m.mount_point != path) return out;  // `path` lies inside a mount, it is not a mount point
  m.id = static_cast<int>(s->mnt_id_old);
  m.dev = makedev(s->sb_dev_major, s->sb_dev_minor);
  m.fs_type = Str(buf, s->fs_type);
  m.source = m.fs_type;
  // Same escaping as mountinfo's super options (seq_show_option), without the leading rw/ro.
  m.super_options = Str(buf, s->mnt_opts);
  out.push_back(std::move(m));
  return out;
}

Result<std::vector<MountEntry>> MountsAt(const std::string& path) {
  auto fast = MountsAtViaStatmount(path);
  if (fast.ok() || fast.error().kind() != ErrorKind::kUnsupported) return fast;
  return ReadMountinfo();
}

}  // namespace verified
