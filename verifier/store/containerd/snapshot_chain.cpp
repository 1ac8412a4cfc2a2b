#include "verifier/store/containerd/snapshot_chain.h"

#include <set>

#include "verifier/store/containerd/metadata_db.h"

namespace verified::containerd {

Result<std::vector<ChainLink>> ResolveLineage(const bbolt::Db& meta_db,
                                              const bbolt::Db& snapshot_db, const std::string& ns,
                                              const std::string& snapshotter,
                                              const std::string& key) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<SnapshotRef> refs,
                            meta_db.View<std::vector<SnapshotRef>>([&](bbolt::Tx& tx) {
                              return ReadSnapshotLineage(tx, ns, snapshotter, key);
                            }));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<BackendSnapshot> backs,
                            snapshot_db.View<std::vector<BackendSnapshot>>(
                                [&](bbolt::Tx& tx) -> Result<std::vector<BackendSnapshot>> {
                                  std::vector<BackendSnapshot> out;
                                  for (const auto& r : refs) {
                                    VERIFIED_ASSIGN_OR_RETURN(std::optional<BackendSnapshot> b,
                                                              ReadBackendSnapshot(tx, r.backend));
                                    if (!b) {
                                      return MakeError(
                                          ErrorKind::kNotFound,
                                          "snapshot '{}' is recorded by containerd as '{}' but the "
                                          "overlayfs snapshotter has no such snapshot",
                                          r.key, r.backend);
                                    }
                                    out.push_back(std::move(*b));
                                  }
                                  return out;
                                }));
  std::vector<ChainLink> links;
  std::set<uint64_t> ids;
  for (size_t i = 0; i < refs.size(); ++i) {
    const std::string want_parent = i + 1 < refs.size() ? refs[i + 1].backend : std::string();
    if (backs[i].parent != want_parent) {
      return MakeError(ErrorKind::kInconsistent,
                       "snapshot '{}': containerd's metadata gives parent '{}' but the overlayfs "
                       "snapshotter records '{}'",
                       refs[i].key, want_parent, backs[i].parent);
    }
    if (!ids.insert(backs[i].id).second) {
      return MakeError(ErrorKind::kInconsistent,
                       "snapshot id {} appears twice in the lineage of {}", backs[i].id, key);
    }
    links.push_back({refs[i].key, refs[i].backend, backs[i].id, backs[i].kind});
  }
  return links;
}

std::string SnapshotFsDir(const std::string& snapshotter_root, uint64_t id) {
  return snapshotter_root + "/snapshots/" + std::to_string(id) + "/fs";
}

}  // namespace verified::containerd
