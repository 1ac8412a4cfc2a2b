// /proc/self/mountinfo: which filesystem is really mounted at the container's root.path.
//
// Annotations and store files say which image a container should have; the mount table says
// which layers the kernel will actually show it. An overlay's lowerdir list (uppermost first)
// is the ground truth every store resolver cross-checks against.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// One line of mountinfo(5), with octal escapes decoded.
struct MountEntry {
  int id = 0;
  int parent = 0;
  dev_t dev = 0;            ///< st_dev of the mounted filesystem (major:minor field)
  std::string root;         ///< root of the mount within its filesystem
  std::string mount_point;  ///< where it is mounted
  std::string fs_type;      ///< "overlay", "ext4", ...
  std::string source;
  std::string super_options;  ///< raw per-superblock options

  /// Value of a super option `key=value` ("" when absent). Commas inside values are escaped by
  /// the kernel, so a plain split is exact.
  std::optional<std::string> SuperOption(std::string_view key) const;
};

/// Overlay layer directories of a mount, as the kernel reports them.
struct OverlayLayers {
  std::vector<std::string> lower;  ///< lowerdir list, uppermost first (may be relative)
  std::string upper;               ///< upperdir ("" for a read-only overlay)
  std::string work;
};

/// Maximum size of a mountinfo file we parse (a host with ~50k mounts).
inline constexpr size_t kMaxMountinfoBytes = 16u << 20;

/// Parses mountinfo text. Malformed lines are kParse errors naming the line number.
Result<std::vector<MountEntry>> ParseMountinfo(std::string_view text);

/// Reads and parses /proc/self/mountinfo (or `path`).
Result<std::vector<MountEntry>> ReadMountinfo(const std::string& path = "/proc/self/mountinfo");

/// The mount visible at `mount_point` (the last one listed there), if any.
const MountEntry* FindMountAt(const std::vector<MountEntry>& mounts, std::string_view mount_point);

/// The mount at `mount_point`, checked to be the filesystem the path really shows now (same
/// st_dev): kNotFound when nothing is listed there, kInconsistent when the path's device is
/// not the listed mount's (a table that does not describe this path). Never null on success.
Result<const MountEntry*> MountedAt(const std::vector<MountEntry>& mounts,
                                    const std::string& mount_point);

/// Splits an overlay mount's lowerdir/upperdir/workdir. Fails with kUnsupported when the
/// entry is not an overlay or has no lowerdir (e.g. data-only layers we do not understand).
Result<OverlayLayers> ParseOverlay(const MountEntry& mount);

}  // namespace verified
