// BuildKit build steps in a FakeDockerTree, shaped as dockerd 20.10's builder-next leaves them
// (measured: executor/<id>/rootfs mounted as an overlay of overlay2/l links, the base image's
// layers at the bottom, the build's own snapshots above, upperdir overlay2/<snapshot>/diff).
#pragma once

#include <string>

#include "unit/support/fake_docker_tree.h"
#include "verifier/bundle/mountinfo.h"

namespace verified::testing {

/// A BuildKit snapshot id (25 lowercase base-36 characters) derived from `seed`.
std::string BuildKitId(const std::string& seed);

/// One RUN step: its executor rootfs and the mount the kernel would show for it.
struct FakeBuildKitStep {
  std::string id;      ///< executor id
  std::string rootfs;  ///< <data-root>/buildkit/executor/<id>/rootfs (a plain directory)
  MountEntry mount;    ///< overlay: build layers (uppermost first), then the base's chain
};

/// Adds a step on `base` with `added` build snapshots between the base and the step's upper
/// layer. With `relative`, layer dirs are given relative to <data-root>/overlay2 as moby does
/// for long option strings.
FakeBuildKitStep AddBuildKitStep(const FakeDockerTree& tree, const FakeImage& base, int added,
                                 bool relative = false);

/// Moves layer `i` of `image` to a BuildKit-named overlay2 dir and rewrites its cache-id and
/// overlay2/l link, as for the layers of an image BuildKit built. Updates `image.cache_ids`.
void UseBuildKitCacheId(const FakeDockerTree& tree, FakeImage& image, size_t i);

}  // namespace verified::testing
