#include "verifier/store/containerd/snapshot_mount.h"

#include <sys/stat.h>

#include <optional>

#include "verifier/store/containerd/snapshot_chain.h"

namespace verified::containerd {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Matches one lowerdir entry against the expected absolute directory. A relative entry must be
// a '/'-aligned suffix of it; the directory it was relative to must be the same for every
// entry of the mount (`common`, set by the first relative entry).
bool LowerMatches(const std::string& entry, const std::string& want,
                  std::optional<std::string>& common) {
  if (entry.empty()) return false;
  if (entry.front() == '/') return entry == want;
  if (entry.find("..") != std::string::npos || !EndsWith(want, "/" + entry)) return false;
  std::string base = want.substr(0, want.size() - entry.size());
  if (!common) common = base;
  return *common == base;
}

}  // namespace

Status CheckSnapshotMount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                          const std::string& snapshotter_root, uint64_t upper_id,
                          const std::vector<uint64_t>& lower_ids) {
  VERIFIED_ASSIGN_OR_RETURN(const MountEntry* m, MountedAt(mounts, rootfs));
  std::string upper = SnapshotFsDir(snapshotter_root, upper_id);
  if (lower_ids.empty()) {
    // A single-layer snapshot is a bind mount of the snapshot dir: the rootfs must be that
    // very directory (same device and inode).
    struct stat want, st;
    if (stat(upper.c_str(), &want) != 0 || stat(rootfs.c_str(), &st) != 0 ||
        want.st_dev != st.st_dev || want.st_ino != st.st_ino) {
      return MakeError(ErrorKind::kInconsistent, "{} is not a bind mount of snapshot {}", rootfs,
                       upper);
    }
    return Ok();
  }
  VERIFIED_ASSIGN_OR_RETURN(OverlayLayers ov, ParseOverlay(*m));
  if (ov.upper != upper) {
    return MakeError(ErrorKind::kInconsistent, "overlay upperdir is '{}', expected {}", ov.upper,
                     upper);
  }
  if (ov.lower.size() != lower_ids.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "overlay at {} has {} lower layers, the snapshot chain has {}", rootfs,
                     ov.lower.size(), lower_ids.size());
  }
  std::optional<std::string> common;
  for (size_t i = 0; i < lower_ids.size(); ++i) {
    std::string want = SnapshotFsDir(snapshotter_root, lower_ids[i]);
    if (!LowerMatches(ov.lower[i], want, common)) {
      return MakeError(ErrorKind::kInconsistent,
                       "overlay lower layer {} (uppermost first) is '{}', the snapshot chain says "
                       "{}",
                       i, ov.lower[i], want);
    }
  }
  return Ok();
}

}  // namespace verified::containerd
