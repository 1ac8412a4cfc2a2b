// A snapshot and its ancestors, proven from both of containerd's databases.
//
// The metadata layer (meta.db) maps client keys to backend keys and records each snapshot's
// parent by client key; the overlayfs snapshotter (metadata.db) maps backend keys to numeric
// ids (directories snapshots/<id>/fs) and records parents by backend key. Both parent links
// must describe the same lineage; either alone could be stale or forged.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/containerd/bbolt.h"
#include "verifier/store/containerd/snapshot_db.h"

namespace verified::containerd {

/// One snapshot of a lineage.
struct ChainLink {
  std::string key;      ///< client key (chainID for unpacked layers)
  std::string backend;  ///< snapshotter key
  uint64_t id = 0;      ///< directory number under snapshots/
  SnapshotKind kind = SnapshotKind::kUnknown;
};

/// Resolves `key` and every ancestor, uppermost (key itself) first. kNotFound when a record
/// is missing in either database, kInconsistent when the databases disagree about a parent
/// or two snapshots share an id.
Result<std::vector<ChainLink>> ResolveLineage(const bbolt::Db& meta_db,
                                              const bbolt::Db& snapshot_db, const std::string& ns,
                                              const std::string& snapshotter,
                                              const std::string& key);

/// <snapshotter-root>/snapshots/<id>/fs.
std::string SnapshotFsDir(const std::string& snapshotter_root, uint64_t id);

}  // namespace verified::containerd
