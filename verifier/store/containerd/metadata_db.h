// containerd's metadata database: <root>/io.containerd.metadata.v1.bolt/meta.db (bbolt).
//
// Schema (containerd core/metadata/buckets.go), every object under its namespace:
//   v1/<ns>/containers/<id>/{image, snapshotter, snapshotKey, labels/*}
//   v1/<ns>/images/<name>/target/{digest, mediatype, size (zigzag varint)}
//   v1/<ns>/snapshots/<snapshotter>/<key>/{name (backend key), parent (user key)}
// Snapshot keys are what clients see ("sha256:<chainID>" for unpacked layers, the container
// id for a container's rw layer); `name` is the snapshotter's own key, "<ns>/<n>/<key>"
// (core/metadata/snapshot.go createKey).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/containerd/bbolt.h"

namespace verified::containerd {

/// A container record.
struct ContainerRecord {
  std::string id;
  std::string image;  ///< image name ("" for CRI containers, which do not set it)
  std::string snapshotter;
  std::string snapshot_key;
  std::map<std::string, std::string> labels;
};

/// An image record: a name and the descriptor it points at (an index or a manifest).
struct ImageRecord {
  std::string name;
  std::string target_digest;
  std::string target_media_type;
  int64_t target_size = -1;  ///< -1 when absent
};

/// A snapshot reference as the metadata layer keeps it.
struct SnapshotRef {
  std::string key;      ///< the client's key
  std::string backend;  ///< the snapshotter's key ("<ns>/<n>/<key>")
  std::string parent;   ///< the parent's client key ("" for a base layer)
};

/// Decodes Go's binary.Uvarint / binary.Varint (zigzag). kParse on truncation or overflow.
Result<uint64_t> DecodeUvarint(std::string_view b);
Result<int64_t> DecodeVarint(std::string_view b);

/// Reads v1/<ns>/containers/<id>; nullopt when absent. kParse for fields of the wrong shape.
Result<std::optional<ContainerRecord>> ReadContainer(bbolt::Tx& tx, const std::string& ns,
                                                     const std::string& id);

/// Reads v1/<ns>/images/<name>; nullopt when absent. The target digest must be a valid
/// sha256 digest (kParse otherwise).
Result<std::optional<ImageRecord>> ReadImage(bbolt::Tx& tx, const std::string& ns,
                                             const std::string& name);

/// Every image record of the namespace, in name order (at most kMaxImagesScanned, kTooLarge
/// beyond). Records whose target is malformed are kParse errors.
Result<std::vector<ImageRecord>> ListImages(bbolt::Tx& tx, const std::string& ns);

/// Reads v1/<ns>/snapshots/<snapshotter>/<key>; nullopt when absent. The backend name must be
/// "<ns>/<decimal>/<key>" (kInconsistent otherwise: a record wired to another snapshot).
Result<std::optional<SnapshotRef>> ReadSnapshotRef(bbolt::Tx& tx, const std::string& ns,
                                                   const std::string& snapshotter,
                                                   const std::string& key);

/// Follows parents from `key` down to a base snapshot: the result starts with `key` itself.
/// kNotFound when a link is missing, kTooLarge beyond kMaxChainLength (or a parent loop).
Result<std::vector<SnapshotRef>> ReadSnapshotLineage(bbolt::Tx& tx, const std::string& ns,
                                                     const std::string& snapshotter,
                                                     const std::string& key);

}  // namespace verified::containerd
