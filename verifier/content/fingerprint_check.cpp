#include "verifier/content/fingerprint_check.h"

#include <fcntl.h>

namespace verified::content {

Result<std::optional<std::string>> FirstFingerprintChange(int rootfd, const DiskStat& root,
                                                          const Fingerprints& fps, size_t begin,
                                                          size_t end) {
  using Changed = std::optional<std::string>;
  for (size_t g = begin; g < end && g < fps.groups.size(); ++g) {
    const FingerprintGroup& grp = fps.groups[g];
    Fd own;
    int dirfd = rootfd;
    if (!grp.dir.empty()) {
      auto fd = OpenBeneath(rootfd, grp.dir, O_RDONLY | O_DIRECTORY);
      if (!fd.ok()) return Changed(grp.dir);
      own = std::move(fd).value();
      dirfd = own.get();
      VERIFIED_ASSIGN_OR_RETURN(DiskStat st, StatFd(dirfd));
      if (!st.SameFingerprint(grp.dir_st) || st.mnt_id != root.mnt_id) return Changed(grp.dir);
    }
    for (const auto& e : grp.entries) {
      // Names were NUL-terminated by the walk (std::string), so no copy is needed here.
      auto st = StatAt(dirfd, e.name.c_str());
      if (!st.ok() || !st->SameFingerprint(e.st) || st->mnt_id != root.mnt_id) {
        return Changed(JoinPath(grp.dir, e.name));
      }
    }
  }
  return Changed();
}

}  // namespace verified::content
