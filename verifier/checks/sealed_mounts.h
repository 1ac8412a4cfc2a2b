// Sealed checks on the container's mounts.
//
// Refused: a bind mount from the host other than the engine's own files (for Docker those
// live under <data-root>/containers/<id>/: resolv.conf, hostname, hosts, shm, secrets), the
// engine's named volumes (unless allow_volumes is false) and the rule's allow_mounts; a mount
// of a real filesystem (anything but tmpfs/proc/sysfs/devpts/mqueue/cgroup); and any mount,
// whatever its source, whose destination (resolved through the image's symlinks, as runc
// resolves it) covers, equals or lies inside a protected image directory (sealed_image.h).
// The runtime's standard mounts (/proc, /dev, /dev/pts, /sys, /sys/fs/cgroup, /dev/mqueue,
// /dev/shm) and the engine's files at /etc/resolv.conf, /etc/hostname, /etc/hosts are exempt.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/sealed_image.h"
#include "verifier/checks/sealed_options.h"
#include "verifier/content/merged_tree.h"

namespace verified {

/// Where the engine keeps the container's own files.
struct EngineFiles {
  std::vector<std::string> container_dirs;  ///< per-container dirs (engine's own binds)
  std::vector<std::string> volume_dirs;     ///< named-volume roots
};

/// The engine-managed directories for a container resolved by `engine` from `store_root`
/// (Docker: <root>/containers/<id>, <root>/volumes). Unknown engines have none: every bind
/// mount then needs allow_mounts.
EngineFiles EngineFilesFor(const std::string& engine, const std::string& store_root,
                           const std::string& container_id);

/// Returns one sentence per refused mount (empty = all allowed). A malformed mounts list is
/// itself a violation.
std::vector<std::string> CheckSealedMounts(const nlohmann::json& spec, const ImageIntent& image,
                                           const MergedTree& tree, const EngineFiles& engine,
                                           const SealedOptions& options);

}  // namespace verified
