// ManifestFile: where an engine keeps a manifest (or index) of an image, so that a signature
// over a manifest digest can be tied to the image the store proved.
//
// A signature names a manifest digest. Engines that keep the registry's manifests say where
// (containerd: the image record's target and the manifests of an index in its content store;
// containers/storage: the image's `manifest` / `manifest-<digest>` big-data items); Docker's
// overlay2 store keeps none, and the manifest imported with the signature stands in. The
// resolver that proved the image only records the files (no I/O at create unless a rule needs
// signatures); ReadManifestFile reads one when a signature check asks for it.
#pragma once

#include <string>

#include "verifier/core/result.h"

namespace verified {

/// One manifest or index file the engine keeps for an image.
struct ManifestFile {
  /// "sha256:<hex>" the engine records for the bytes (containerd: the blob's name;
  /// containers/storage: the big-data digest in images.json).
  std::string digest;
  /// Absolute path of the file holding exactly those bytes.
  std::string path;
};

/// Most bytes read for one manifest or index (registries cap manifests at 4 MiB).
inline constexpr size_t kMaxManifestFileBytes = 4 * 1024 * 1024;

/// Reads `file` and checks that its bytes hash to file.digest. kTooLarge beyond
/// kMaxManifestFileBytes; kNotFound / kIo from reading (a symlink is refused: the engine writes
/// these files itself, and a link could point anywhere); kParse for a malformed digest;
/// kIntegrity, naming the path and both digests, when the bytes do not hash to the digest.
Result<std::string> ReadManifestFile(const ManifestFile& file);

}  // namespace verified
