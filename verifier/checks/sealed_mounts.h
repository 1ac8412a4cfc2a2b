// Sealed checks on the container's mounts.
//
// Refused: a bind mount from the host other than the engine's own files (EngineFiles, which
// the store resolver fills: Docker's <data-root>/containers/<id>/, Podman's userdata, CRI's
// sandbox files), the engine's named volumes (unless allow_volumes is false) and the rule's
// allow_mounts; a mount of a real filesystem (anything but tmpfs/proc/sysfs/devpts/mqueue/
// cgroup); and any mount, whatever its source, whose destination (resolved through the image's
// symlinks, as runc resolves it) covers, equals or lies inside a protected image directory
// (sealed_image.h).
// The runtime's standard mounts (/proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue,
// /dev/shm) and the engine's files at /etc/resolv.conf, /etc/hostname, /etc/hosts,
// /run/.containerenv are exempt.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_options.h"
#include "verifier/content/merged_tree.h"
#include "verifier/store/engine_files.h"

namespace verified {

/// Returns one sentence per refused mount (empty = all allowed), taking the engine's own files
/// from `engine` (ResolvedImage::engine_files). A malformed mounts list is itself a violation.
std::vector<std::string> CheckSealedMounts(const nlohmann::json& spec, const ImageIntent& image,
                                           const MergedTree& tree, const EngineFiles& engine,
                                           const SealedOptions& options);

}  // namespace verified
