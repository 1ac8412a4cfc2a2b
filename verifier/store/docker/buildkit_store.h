// Docker's BuildKit builder (dockerd's builder-next, the default `docker build` of current
// Docker) on the overlay2 graphdriver.
//
// For every RUN step BuildKit execs `runc run --bundle <data-root>/buildkit/executor/<id> <id>`
// itself (not through containerd or Docker's runtimes), so only a host whose runc binary is
// diverted to verified-runtime sees these steps. root.path is the absolute
// `<data-root>/buildkit/executor/<id>/rootfs`, an overlay BuildKit mounts from graphdriver
// dirs: lowerdirs `<data-root>/overlay2/l/<link>` of the base image's layers (bottom) and of
// earlier steps' snapshots (above), upperdir `<data-root>/overlay2/<snapshot-id>/diff`.
// config.json carries no image reference and BuildKit picks the ids: the proof uses the live
// mount and Docker's image store only (see buildkit_base.h for the rule).
#pragma once

#include <string>

#include "verifier/store/store.h"

namespace verified {

/// Resolver for BuildKit build steps run by dockerd with the overlay2 graphdriver. The image
/// it resolves is the build's base (FROM); notes say how many layers the build added.
class DockerBuildKitStore : public Store {
 public:
  std::string Name() const override { return "docker-buildkit"; }
  /// Not mine unless root.path is `<data-root>/buildkit/executor/<id>/rootfs` and
  /// <data-root>/image/overlay2/layerdb exists. Then: a rootfs that is not mounted, not an
  /// overlay (a FROM scratch step has no lower layers), has a layer dir outside
  /// <data-root>/overlay2, or whose lower layers do not start with exactly one tagged image's
  /// chain is an error (deny).
  Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const override;
};

/// The data root of a BuildKit executor rootfs ("<data-root>/buildkit/executor/<id>/rootfs"),
/// nullopt for any other shape.
std::optional<std::string> BuildKitDataRoot(const std::string& rootfs);

}  // namespace verified
