// The OCI / Docker image configuration document ("application/vnd.oci.image.config.v1+json").
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// Largest image config we accept (real ones are a few KB; history can make them ~1 MB).
inline constexpr size_t kMaxImageConfigBytes = 16u << 20;

/// Largest number of layers we accept in one image (Docker's own limit is 127 for overlay2;
/// containers/storage allows more). Bounds every per-layer loop.
inline constexpr size_t kMaxLayers = 1000;

/// A parsed image config and its diffIDs.
struct ImageConfig {
  nlohmann::json doc;
  std::vector<std::string> diff_ids;
};

/// Parses an image config: must be an object with rootfs.type "layers" and rootfs.diff_ids a
/// list of valid sha256 digests (at most kMaxLayers). Fails with kParse naming `what`.
Result<ImageConfig> ParseImageConfig(std::string_view text, std::string_view what);

/// Verifies that sha256(bytes) equals `digest` ("sha256:..."); kIntegrity names both.
Status CheckDigest(std::string_view bytes, std::string_view digest, std::string_view what);

}  // namespace verified
