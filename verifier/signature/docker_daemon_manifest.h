// The manifest of a Docker overlay2 image that has none: Docker's graphdriver store keeps no
// registry manifest, so a signature for such an image names the manifest that
// `skopeo copy docker-daemon:IMAGE ...` (containers/image docker/internal/tarfile/src.go
// GetManifest) generates from `docker save` output, byte for byte:
//
//   {"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",
//    "config":{"mediaType":"application/vnd.docker.container.image.v1+json",
//              "size":<config bytes>,"digest":"<image ID>"},
//    "layers":[{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip",
//               "size":<uncompressed tar bytes>,"digest":"<diff_id>"}, ...]}
//
// (Go's encoding/json of manifest.Schema2: compact, members in struct order. The layer media
// type says gzip although the blobs are the uncompressed tars named by their diff_ids: that is
// what containers/image writes, and the digest is what binds.)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// One layer of the generated manifest.
struct DaemonManifestLayer {
  std::string diff_id;  ///< "sha256:<hex>" of the uncompressed tar
  uint64_t size = 0;    ///< the uncompressed tar's length
};

/// The manifest bytes for a config of `config_size` bytes named `config_digest` and `layers`
/// (bottom first). Digests are written as given (callers pass validated sha256 digests).
std::string DockerDaemonManifestJson(std::string_view config_digest, uint64_t config_size,
                                     const std::vector<DaemonManifestLayer>& layers);

/// The generated manifest of a Docker overlay2 image resolved from its store (engine
/// "docker-overlay2", every layer with its tar-split): the config re-read from the imagedb and
/// hashed against the image ID, and each layer's tar reassembled from its tar-split and layer
/// directory and hashed against its diff_id (content/tar_split_verify.h), which also gives its
/// size. So the manifest describes bytes the store holds now. kUnsupported for another engine
/// or an image without layer locations; kIntegrity naming the layer whose directory does not
/// reassemble to its diff_id; the readers' errors.
Result<std::string> DockerDaemonManifest(const ResolvedImage& image);

}  // namespace verified::signature
