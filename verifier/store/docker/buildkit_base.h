// Which stored image a BuildKit build step stands on.
//
// A BuildKit executor's rootfs is an overlay whose lowerdirs are graphdriver layers: at the
// bottom the base image's chain (FROM), above it the snapshots of earlier steps of the same
// build (RUN, COPY, ADD). Only the bottom can be proven to be an image; what the build added
// is the build's own work and is named, counted, never proven.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::docker {

/// Upper bound on distinct tagged images searched for a base (each costs one config hash).
inline constexpr size_t kMaxBaseCandidates = 4096;

/// The base image of a build step and how many layers the build put on top of it.
struct BuildBase {
  ResolvedImage image;      ///< loaded as LoadDockerImage does (config hashed, chain walked)
  size_t added_layers = 0;  ///< lowerdirs above the base's chain
};

/// Finds the tagged image (repositories.json) whose layer chain is the longest bottom-up
/// prefix of `bottom_up` (overlay2 dir ids of the lowerdirs, bottom layer first).
/// kNotFound when no tagged image's whole chain is a prefix (a base BuildKit pulled that Docker's
/// image store does not hold, or a FROM scratch build whose first layer is a COPY);
/// kInconsistent when several distinct images have that same chain (the mount cannot tell
/// which one the build is FROM); errors loading any candidate image are returned (fail closed).
Result<BuildBase> FindBuildBase(const std::string& data_root,
                                const std::vector<std::string>& bottom_up);

}  // namespace verified::docker
