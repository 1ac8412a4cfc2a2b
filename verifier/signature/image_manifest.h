// Which manifest stands for a local image when it is signed (verifiedctl sign): the one the
// engine keeps for it when it keeps any (containerd's content store, containers/storage's
// big-data: ResolvedImage::manifest_files), else, for Docker's overlay2 store, the manifest
// `skopeo copy docker-daemon:` would generate (docker_daemon_manifest.h).
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// A manifest chosen for an image, already hash-checked.
struct ImageManifest {
  std::string digest;  ///< "sha256:<hex>" of `bytes`
  std::string bytes;
  /// Where it came from: the engine file's path, or "generated (docker-daemon)".
  std::string source;
  bool generated = false;  ///< true when no engine file held it (Docker overlay2)
};

/// The first of image.manifest_files that is an image manifest (it has a `config`) whose
/// config digest is image.image_id, read with ReadManifestFile (hash-checked, no symlink).
/// Indexes are passed over: a simple-signing signature names the platform manifest that
/// runs. With no manifest_files and engine "docker-overlay2": DockerDaemonManifest. kNotFound
/// when the engine keeps manifests but none is for this config; kUnsupported for an engine
/// with none; the readers' errors (a manifest file that does not hash, kIntegrity).
Result<ImageManifest> ManifestForSigning(const ResolvedImage& image);

}  // namespace verified::signature
