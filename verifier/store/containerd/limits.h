// Size and count limits for containerd store files (all untrusted input).
#pragma once

#include <cstddef>

namespace verified::containerd {

inline constexpr size_t kMaxManifestBytes = 4u << 20;     ///< an index or manifest blob
inline constexpr size_t kMaxIndexDepth = 4;               ///< index -> index -> ... -> manifest
inline constexpr size_t kMaxIndexEntries = 4096;          ///< manifests listed in one index
inline constexpr size_t kMaxChainLength = 1100;           ///< snapshots from a container to base
inline constexpr size_t kMaxImagesScanned = 100000;       ///< image records read to find names
inline constexpr size_t kMaxRecordValueBytes = 1u << 20;  ///< a name, key or digest value
inline constexpr size_t kMaxContainerConfigBytes = 16u << 20;  ///< Docker's config.v2.json

/// containerd's plugin directories under its root.
inline constexpr const char* kMetadataDb = "io.containerd.metadata.v1.bolt/meta.db";
inline constexpr const char* kOverlayfsRoot = "io.containerd.snapshotter.v1.overlayfs";
inline constexpr const char* kBlobsDir = "io.containerd.content.v1.content/blobs/sha256";
inline constexpr const char* kTaskDir = "io.containerd.runtime.v2.task";

}  // namespace verified::containerd
