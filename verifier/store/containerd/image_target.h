// From an image's target descriptor (an index or a manifest) to the image configs this host
// would run, reading and hashing every blob on the way (OCI image spec; Docker schema 2).
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/image/image_config.h"
#include "verifier/store/containerd/content_store.h"
#include "verifier/store/containerd/platform.h"

namespace verified::containerd {

/// A descriptor: what an image record or an index entry points at.
struct Descriptor {
  std::string digest;
  std::string media_type;  ///< "" when unknown
  int64_t size = -1;       ///< -1 when unknown
};

/// One runnable manifest and its (hashed, parsed) config.
struct ManifestConfig {
  std::string manifest_digest;
  /// The indexes walked to reach this manifest, outermost (the image record's target) first;
  /// empty when the target is the manifest itself. A signature may name any of them.
  std::vector<std::string> index_digests;
  std::string config_digest;
  ImageConfig config;
  /// The manifest's layer descriptors (compressed blobs), bottom first; the content check
  /// verifies snapshots against them.
  std::vector<Descriptor> layers;
};

/// True for the OCI index and Docker manifest-list media types.
bool IsIndexMediaType(std::string_view mt);
/// True for the OCI manifest and Docker schema 2 manifest media types.
bool IsManifestMediaType(std::string_view mt);

/// Resolves `target` to the manifests for `platform` in index order (nested indexes are
/// followed up to kMaxIndexDepth), each with its config. Index entries without a platform are
/// kept when their config's os/architecture match. A target that is itself a manifest is
/// taken as is. Every blob is hashed (ContentStore::Read). Fails with kNotFound when a blob is
/// missing, kParse/kUnsupported for documents of an unknown shape, kInconsistent when a
/// blob's own mediaType contradicts its descriptor; an index with no manifest for `platform`
/// gives an empty list.
Result<std::vector<ManifestConfig>> ResolveTarget(const ContentStore& content,
                                                  const Descriptor& target,
                                                  const Platform& platform);

}  // namespace verified::containerd
