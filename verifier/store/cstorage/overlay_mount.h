// Cross-check of a containers/storage overlay mount against the image's layer chain.
#pragma once

#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/core/result.h"
#include "verifier/fs/dir.h"
#include "verifier/store/resolved_image.h"

namespace verified::cstorage {

/// Maps one lowerdir entry to the layer id it names. The overlay driver (containers/storage
/// drivers/overlay/overlay.go) mounts "<graphroot>/overlay/l/<link>" (a symlink to
/// "../<layer-id>/diff"), or "l/<link>" relative to <graphroot>/overlay when the option string
/// would not fit in a page. Other forms (diffN extra dirs, composefs, ID-mapped mounts,
/// additional image stores) are kUnsupported; a link that points elsewhere is kInconsistent.
/// `overlay` is the opened <graphroot>/overlay directory.
Result<std::string> LowerdirToLayerId(const Dir& overlay, const std::string& entry);

/// Checks that the overlay mounted at `rootfs` has upperdir <graphroot>/overlay/<ctr_layer>/diff
/// and lowerdirs exactly the image's layers, uppermost first (for an image without layers,
/// the container layer's "empty" directory). kNotFound when nothing is mounted there,
/// kUnsupported for a fuse-overlayfs mount, kInconsistent naming the first difference.
Status CheckStorageMount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                         const std::string& graphroot, const std::string& ctr_layer,
                         const std::vector<LayerLocation>& layers);

}  // namespace verified::cstorage
