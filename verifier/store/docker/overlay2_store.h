// Docker with the overlay2 graphdriver (Docker 20.10 to 28, upgraded 29 hosts).
//
// root.path is <data-root>/overlay2/<mount-id>/merged; the data root is derived from it, never
// assumed. The identity chain, every link cross-checked (DESIGN.md "Where the image identity
// comes from"):
//   container id -> containers/<cid>/config.v2.json Image -> imagedb content (hashed) ->
//   rootfs.diff_ids -> chainIDs == layerdb/mounts/<cid>/parent -> layerdb diff/parent/cache-id
//   -> the overlay lowerdirs at root.path are exactly init + the chain's cache-ids.
#pragma once

#include <string>

#include "verifier/store/store.h"

namespace verified {

/// Resolver for Docker's overlay2 graphdriver store.
class DockerOverlay2Store : public Store {
 public:
  std::string Name() const override { return "docker-overlay2"; }
  /// Not mine unless root.path has the overlay2 shape and <data-root>/image/overlay2 exists;
  /// then every mismatch is an error.
  Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const override;
};

/// Loads an image by ID from a Docker data root (imagedb config hashed, layer chain walked,
/// names from repositories.json). Used by the resolver and by verifiedctl.
Result<ResolvedImage> LoadDockerImage(const std::string& data_root, const std::string& image_id);

/// Splits "<data-root>/overlay2/<mount-id>/merged" into data root and mount id; nullopt when
/// `rootfs` does not have that shape.
std::optional<std::pair<std::string, std::string>> SplitOverlay2Rootfs(const std::string& rootfs);

}  // namespace verified
