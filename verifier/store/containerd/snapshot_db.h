// The overlayfs snapshotter's own database:
// <root>/io.containerd.snapshotter.v1.overlayfs/metadata.db (bbolt).
//
//   v1/snapshots/<backend key>/{id (uvarint), kind (1 byte), parent (backend key)}
// (containerd core/snapshots/storage/bolt.go). A snapshot's files are snapshots/<id>/fs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "verifier/core/result.h"
#include "verifier/store/containerd/bbolt.h"

namespace verified::containerd {

/// snapshots.Kind (core/snapshots/snapshotter.go).
enum class SnapshotKind { kUnknown = 0, kView = 1, kActive = 2, kCommitted = 3 };

/// "View", "Active", "Committed", "Unknown".
const char* SnapshotKindName(SnapshotKind k);

/// One snapshot as the snapshotter records it.
struct BackendSnapshot {
  std::string key;  ///< backend key
  uint64_t id = 0;
  SnapshotKind kind = SnapshotKind::kUnknown;
  std::string parent;  ///< parent's backend key ("" for a base)
};

/// Reads v1/snapshots/<key>; nullopt when absent. kParse for a missing/zero id, a kind
/// byte outside 1..3 or a malformed value.
Result<std::optional<BackendSnapshot>> ReadBackendSnapshot(bbolt::Tx& tx, const std::string& key);

}  // namespace verified::containerd
