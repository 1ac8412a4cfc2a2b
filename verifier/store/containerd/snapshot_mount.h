// Cross-check of the live mount at a container's root.path against an overlayfs snapshot
// lineage: the kernel's view of which layer directories the container will see.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/core/result.h"

namespace verified::containerd {

/// Checks that the filesystem at `rootfs` is snapshot `upper_id` over `lower_ids` (uppermost
/// first) of the overlayfs snapshotter rooted at `snapshotter_root`
/// (plugins/snapshots/overlay/overlay.go mounts()):
///  - with lower layers: an overlay whose upperdir is snapshots/<upper_id>/fs and whose
///    lowerdirs are exactly snapshots/<id>/fs for lower_ids, absolute or relative to one
///    common directory (core/mount compactLowerdirOption shortens long option strings so);
///  - without: a bind mount of snapshots/<upper_id>/fs (same device and inode).
/// kNotFound when nothing is mounted at `rootfs`; kInconsistent names the first difference.
Status CheckSnapshotMount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                          const std::string& snapshotter_root, uint64_t upper_id,
                          const std::vector<uint64_t>& lower_ids);

}  // namespace verified::containerd
