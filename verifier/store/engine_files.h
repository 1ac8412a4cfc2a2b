// EngineFiles: what an engine itself puts into one of its containers.
//
// Engines bind-mount files of their own into every container (Docker's resolv.conf, hosts,
// hostname and shm under <data-root>/containers/<id>/; Podman's userdata; containerd CRI's
// per-sandbox files), keep named volumes under a root of their own, and give each container a
// writable layer over the image. Only the store resolver knows where its engine keeps these,
// so it fills them in the ResolvedImage; checks (the sealed mount and layer checks) read them
// and never branch on an engine's name.
#pragma once

#include <string>
#include <vector>

namespace verified {

/// The engine's own files for one container. Paths are absolute and symlink-resolved where
/// they exist. All empty for an image checked on its own and for engines that bind nothing
/// (plain `ctr run`): every bind mount then needs the rule's allow_mounts.
struct EngineFiles {
  /// Per-container directories the engine creates and fills: a bind mount from beneath one is
  /// the engine's own (Docker: <data-root>/containers/<id>).
  std::vector<std::string> container_dirs;
  /// Single files the engine wrote for this container outside `container_dirs`, accepted only
  /// at the destinations engines bind their files to (/etc/hosts, /etc/hostname,
  /// /etc/resolv.conf, /dev/shm, /run/.containerenv). Podman's runroot files.
  std::vector<std::string> container_files;
  /// Roots of the engine's named volumes (Docker: <data-root>/volumes).
  std::vector<std::string> volume_dirs;
  /// The container's writable layer (overlay upperdir) to inspect before the container runs
  /// again, "" when the store does not name one.
  std::string container_layer;
};

/// Appends `path` to `dirs`, symlink-resolved when it exists (as given otherwise), so that a
/// mount source resolved the same way compares equal.
void AddEnginePath(std::vector<std::string>& dirs, const std::string& path);

}  // namespace verified
