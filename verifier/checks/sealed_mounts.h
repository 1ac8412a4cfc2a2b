// Sealed checks on the container's mounts.
//
// Refused: a bind mount from the host other than the engine's own files (for Docker those
// live under <data-root>/containers/<id>/: resolv.conf, hostname, hosts, shm, secrets; for
// Podman under <graphroot>/overlay-containers/<id>/userdata/ (shm) and the runroot's
// overlay-containers/<id>/userdata/ (hostname, hosts, resolv.conf, .containerenv)), the
// engine's named volumes (unless allow_volumes is false) and the rule's allow_mounts; a mount
// of a real filesystem (anything but tmpfs/proc/sysfs/devpts/mqueue/cgroup); and any mount,
// whatever its source, whose destination (resolved through the image's symlinks, as runc
// resolves it) covers, equals or lies inside a protected image directory (sealed_image.h).
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

namespace verified {

/// Where the engine keeps the container's own files.
struct EngineFiles {
  std::vector<std::string> container_dirs;  ///< per-container dirs (engine's own binds)
  std::vector<std::string> volume_dirs;     ///< named-volume roots
  /// Podman: this container's id. A regular file directly in
  /// <runroot>/overlay-containers/<id>/userdata (any runroot; the directory and the one above
  /// it root-owned and not group/other-writable) is then an engine file too. "" = none.
  std::string runroot_container_id;
};

/// The engine-managed directories for a container resolved by `engine` from `store_root`
/// (Docker: <root>/containers/<id>, <root>/volumes; Podman/containers-storage:
/// <graphroot>/overlay-containers/<id>/userdata, the runroot files of that same id,
/// <graphroot>/volumes). Unknown engines have none: every bind mount then needs allow_mounts.
EngineFiles EngineFilesFor(const std::string& engine, const std::string& store_root,
                           const std::string& container_id);

/// Returns one sentence per refused mount (empty = all allowed). A malformed mounts list is
/// itself a violation.
std::vector<std::string> CheckSealedMounts(const nlohmann::json& spec, const ImageIntent& image,
                                           const MergedTree& tree, const EngineFiles& engine,
                                           const SealedOptions& options);

}  // namespace verified
