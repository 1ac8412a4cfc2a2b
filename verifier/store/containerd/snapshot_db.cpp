#include "verifier/store/containerd/snapshot_db.h"

#include "verifier/store/containerd/limits.h"
#include "verifier/store/containerd/metadata_db.h"

namespace verified::containerd {

const char* SnapshotKindName(SnapshotKind k) {
  switch (k) {
    case SnapshotKind::kView:
      return "View";
    case SnapshotKind::kActive:
      return "Active";
    case SnapshotKind::kCommitted:
      return "Committed";
    default:
      return "Unknown";
  }
}

Result<std::optional<BackendSnapshot>> ReadBackendSnapshot(bbolt::Tx& tx, const std::string& key) {
  VERIFIED_ASSIGN_OR_RETURN(std::optional<bbolt::Bucket> b, tx.Path({"v1", "snapshots", key}));
  if (!b) return std::optional<BackendSnapshot>();
  std::string what = "overlayfs snapshot '" + key + "'";
  BackendSnapshot s;
  s.key = key;
  VERIFIED_ASSIGN_OR_WRAP(std::optional<std::string> id, tx.Get(*b, "id"), "{}", what);
  if (!id) return MakeError(ErrorKind::kParse, "{} has no id", what);
  VERIFIED_ASSIGN_OR_WRAP(s.id, DecodeUvarint(*id), "{} id", what);
  if (s.id == 0) return MakeError(ErrorKind::kParse, "{} has id 0", what);
  VERIFIED_ASSIGN_OR_WRAP(std::optional<std::string> kind, tx.Get(*b, "kind"), "{}", what);
  if (!kind || kind->size() != 1 || (*kind)[0] < 1 || (*kind)[0] > 3) {
    return MakeError(ErrorKind::kParse, "{} has no valid kind", what);
  }
  s.kind = static_cast<SnapshotKind>((*kind)[0]);
  VERIFIED_ASSIGN_OR_WRAP(std::optional<std::string> parent, tx.Get(*b, "parent"), "{}", what);
  if (parent) {
    if (parent->size() > kMaxRecordValueBytes) {
      return MakeError(ErrorKind::kTooLarge, "{}: parent of {} bytes", what, parent->size());
    }
    s.parent = std::move(*parent);
  }
  return std::optional<BackendSnapshot>(std::move(s));
}

}  // namespace verified::containerd
