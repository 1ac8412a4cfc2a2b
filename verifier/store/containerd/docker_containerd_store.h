// Docker with the containerd image store (the default of fresh Docker 29 installs).
//
// dockerd mounts the container's snapshot itself at root.path =
// <data-root>/rootfs/overlayfs/<cid> (moby daemon/snapshotter/mount.go). The identity chain:
//   <data-root>/containers/<cid>/config.v2.json Image (the image's target digest: index or
//   manifest) -> content blobs (hashed) -> the manifest for this platform (ImageManifest when
//   recorded) -> config -> chainIDs == the client keys below "<cid>-init" in the snapshot
//   lineage of <cid> (namespace "moby"), agreed by meta.db and the overlayfs metadata.db ->
//   the overlay at root.path is exactly <cid> over <cid>-init over the chain.
// containerd's root: the bundle's work link (the bundle is containerd's task bundle), else
// dockerd's managed containerd at <data-root>/containerd/daemon.
// Names: image records whose target is the container's Image digest; the reference the user
// typed (Config.Image) counts only when its record points at that same digest.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "verifier/store/store.h"

namespace verified {

/// Resolver for Docker's containerd image store.
class DockerContainerdStore : public Store {
 public:
  std::string Name() const override { return "docker-containerd"; }
  /// Not mine unless root.path has the <data-root>/rootfs/overlayfs/<cid> shape and
  /// <data-root>/containers exists; then every mismatch is an error.
  Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const override;
};

/// Splits "<data-root>/rootfs/overlayfs/<cid>" into data root and container id; nullopt for
/// another shape (cid must be 64 lowercase hex).
std::optional<std::pair<std::string, std::string>> SplitDockerSnapshotRootfs(
    const std::string& rootfs);

}  // namespace verified
