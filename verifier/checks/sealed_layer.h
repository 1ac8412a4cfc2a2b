// Sealed check on the container's own (upper) layer when it is started again: `docker cp` can
// write into a stopped container, and the next `docker start` would run whatever replaced the
// entrypoint. Refused: any entry of the container layer directly inside a protected image
// directory (sealed_image.h), and any executable, shared library or symlink anywhere in it.
// A fresh container's layer is empty; a sealed program that writes its data to volumes or
// tmpfs restarts fine. The layer is the one the store resolver names
// (EngineFiles::container_layer: Docker overlay2's <data-root>/overlay2/<mount-id>/diff);
// containers of stores that name none are not checked.
#pragma once

#include <string>
#include <vector>

#include "verifier/checks/sealed_image.h"

namespace verified {

/// Returns one sentence per offending entry (at most a few, then a count), or a sentence
/// saying the layer cannot be read.
std::vector<std::string> CheckContainerLayer(const std::string& layer_dir,
                                             const ImageIntent& image);

}  // namespace verified
