// Which image a container's snapshot lineage was unpacked from, and which of the names the
// caller offers (annotations, the container record) storage confirms for it.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/containerd/containerd_image.h"

namespace verified::containerd {

/// The image behind a lineage.
struct ChainMatch {
  ManifestConfig manifest;
  /// The first of the offered names whose image record resolves to this very config
  /// (normalised when it is a reference); "" when none does.
  std::string confirmed_name;
  /// Names storage maps to the image: with no confirmed name, every record whose target
  /// resolves to this config; with one, it and every record with the same target (or
  /// targeting this manifest), found without reading other images' blobs.
  std::vector<std::string> names;
  std::vector<std::string> notes;
};

/// Finds the config whose chainIDs equal `chain_ids` (bottom first). The records named by
/// `offered` are tried first, in order (a name is only a hint: it counts when its image's
/// config has exactly this chain); then every image record of `ns`. kNotFound when no image
/// in the namespace has this chain (removed after the container was created, or never there).
Result<ChainMatch> MatchChain(const ContainerdFiles& files, const std::string& ns,
                              const std::vector<std::string>& offered,
                              const std::vector<std::string>& chain_ids);

}  // namespace verified::containerd
