// Size limits for content verification. Layer trees, tar-split streams and the content cache
// are untrusted input: every parser stops at these bounds with kTooLarge instead of growing
// without end.
#pragma once

#include <cstddef>
#include <cstdint>

namespace verified::content {

/// Longest tar-split JSON line. A segment holds at most one tar header run (padding, PAX and
/// GNU long-name blocks and the header) or one 1 MiB chunk of trailing padding, base64-encoded.
inline constexpr size_t kMaxTarSplitLine = 4u << 20;
/// Most tar-split lines in one layer (about three per tar entry).
inline constexpr size_t kMaxTarSplitLines = 8u << 20;
/// Most decompressed tar-split bytes in one layer.
inline constexpr uint64_t kMaxTarSplitBytes = 16ull << 30;
/// Most tar entries (and on-disk entries) in one layer.
inline constexpr size_t kMaxLayerEntries = 2u << 20;
/// Longest path or link target inside a layer.
inline constexpr size_t kMaxPathBytes = 4096;
/// Deepest directory nesting walked in a layer.
inline constexpr size_t kMaxDepth = 1024;
/// Largest PAX extended header or GNU long-name data block.
inline constexpr size_t kMaxExtendedHeader = 1u << 20;
/// Most extended attributes on one entry, and the largest value.
inline constexpr size_t kMaxXattrs = 256;
inline constexpr size_t kMaxXattrValue = 64u << 10;
/// Largest cache file (fingerprints or manifest) read back.
inline constexpr size_t kMaxCacheFile = 1u << 30;

}  // namespace verified::content
