// Cross-check of Docker overlay2's live mount against the layer chain from layerdb.
#pragma once

#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::docker {

/// Maps one lowerdir entry to the overlay2 directory id it names. moby's overlay2 driver
/// mounts either "<overlay2>/l/<short>" (a symlink to "../<id>/diff"), the same relative to
/// <overlay2> when the option string would exceed a page, or "<overlay2>/<id>/diff".
Result<std::string> LowerdirToGraphId(const std::string& overlay2_dir, const std::string& entry);

/// Checks that the overlay mounted at `rootfs` has upperdir <overlay2>/<mount_id>/diff and
/// lowerdirs exactly [init_id (if any), layers top..bottom]. kInconsistent names the first
/// difference; kNotFound when nothing is mounted at `rootfs`.
Status CheckOverlay2Mount(const std::vector<MountEntry>& mounts, const std::string& rootfs,
                          const std::string& data_root, const std::string& mount_id,
                          const std::string& init_id, const std::vector<LayerLocation>& layers);

}  // namespace verified::docker
