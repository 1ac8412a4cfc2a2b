// Podman and CRI-O: containers/storage with the overlay driver.
//
// root.path is <graphroot>/overlay/<container-layer>/merged; the graph root is derived from it,
// never assumed. The identity chain, every link cross-checked:
//   root.path's layer -> the containers.json record using that layer (its id must be the
//   container being created) -> its image record in images.json -> the image config (big-data
//   item "sha256:<id>", hashed against the id) -> rootfs.diff_ids -> the chain from the image's
//   top layer down through layers.json parent links, each diff-digest equal to its diff_id ->
//   the container layer's parent is that top layer -> the overlay mounted at root.path has the
//   container layer as upperdir and exactly the chain's layers (through overlay/l links) as
//   lowerdirs, uppermost first.
#pragma once

#include <optional>
#include <string>
#include <utility>

#include "verifier/store/store.h"

namespace verified {

/// Resolver for containers/storage overlay graph roots (Podman, CRI-O, Buildah).
class ContainersStorageStore : public Store {
 public:
  std::string Name() const override;
  /// Not mine unless root.path has the <graphroot>/overlay/<64 hex>/merged shape and the graph
  /// root has overlay-layers and overlay-containers; then every mismatch is an error.
  Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const override;
};

/// Splits "<graphroot>/overlay/<layer>/merged" into graph root and layer id; nullopt when
/// `rootfs` does not have that shape.
std::optional<std::pair<std::string, std::string>> SplitStorageRootfs(const std::string& rootfs);

/// Loads an image by id (64 hex, "sha256:" optional) from a graph root, as the resolver does
/// (config hashed, chain walked), with the names storage gives it. Used by verifiedctl.
Result<ResolvedImage> LoadContainersStorageImage(const std::string& graphroot,
                                                 const std::string& image_id);

}  // namespace verified
