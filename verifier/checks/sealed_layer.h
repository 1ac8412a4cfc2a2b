// Sealed check on the container's own (upper) layer when it is started again: `docker cp` can
// write into a stopped container, and the next `docker start` would run whatever replaced the
// entrypoint. Refused: any entry of the container layer directly inside a protected image
// directory (sealed_image.h), and any executable, shared library or symlink anywhere in it.
// A fresh container's layer is empty; a sealed program that writes its data to volumes or
// tmpfs restarts fine. Only Docker's overlay2 layout is known (root.path = .../<id>/merged,
// its layer .../<id>/diff); other engines' container layers are not checked.
#pragma once

#include <string>
#include <vector>

#include "verifier/checks/sealed_image.h"

namespace verified {

/// The container layer directory of a Docker overlay2 root.path ("" when root.path does not
/// have that shape or does not exist).
std::string DockerContainerLayerDir(const std::string& root_path);

/// Returns one sentence per offending entry (at most a few, then a count), or a sentence
/// saying the layer cannot be read.
std::vector<std::string> CheckContainerLayer(const std::string& layer_dir,
                                             const ImageIntent& image);

}  // namespace verified
