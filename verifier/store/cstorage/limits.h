// Size and count limits for containers/storage files (all are untrusted input).
#pragma once

#include <cstddef>

namespace verified::cstorage {

/// containers.json, images.json, layers.json and their volatile-*.json siblings. A host with
/// ten thousand images keeps images.json around 20 MB.
inline constexpr size_t kMaxRecordsFileBytes = 64u << 20;
/// Records in one of those files.
inline constexpr size_t kMaxRecords = 1u << 20;
/// Names, big-data names or digests listed in one record.
inline constexpr size_t kMaxListEntries = 4096;
/// The JSON-in-a-string "metadata" of a container record.
inline constexpr size_t kMaxMetadataBytes = 64u << 10;
/// A string field of a record (ids, names, digests).
inline constexpr size_t kMaxFieldBytes = 4096;
/// An overlay/l/<link> symlink target ("../<64 hex>/diff").
inline constexpr size_t kMaxLinkBytes = 256;

}  // namespace verified::cstorage
