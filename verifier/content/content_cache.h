// The content cache: <config-dir>/content-cache, root-only (0700 directory, 0600 files).
//
//   manifests/<diffID hex>        the layer's expected tree with every file's SHA-256, written
//                                 only after the layer was verified against its diffID
//   fingerprints/<key>            one layer directory's fingerprints (inode, size, mtime,
//                                 ctime, mode, owner of every object), bound to the diffID, the
//                                 directory, the tar-split or blob it was verified from and the
//                                 manifest digest; key = sha256(diffID + NUL + directory)
//
// Each file ends with the SHA-256 of everything before it, so a truncated or corrupted file is
// detected and ignored (the layer is then verified in full again). The directory and files
// must be owned by root (or the running user) and closed to everyone else; otherwise loading
// fails with kPermission and the decision fails closed, because whoever can write the cache
// can make `cached` mode accept a changed layer.
#pragma once

#include <optional>
#include <string>

#include "verifier//content/disk.h"
#include "verifier/content/layer_tree.h"
#include "verifier/content/tree_walk.h"
#include "verifier/core/result.h"
#include "verifier/fs/deferred_writes.h"

namespace verified::content {

/// The fingerprints of one verified layer directory and what they are bound to.
struct FingerprintRecord {
  std::string diff_id;
  std::string diff_dir;
  std::string source;           ///< tar-split or blob path the layer was verified from
  DiskStat source_st;           ///< its fingerprint at that time
  std::string manifest_digest;  ///< SHA-256 of the manifest file the tree came from
  Fingerprints fps;
};

/// Reads and writes the cache of one config dir.
class ContentCache {
 public:
  /// With `defer` set, Store* only record their writes there (and create no directory).
  explicit ContentCache(std::string config_dir, DeferredWrites* defer = nullptr);

  /// <config-dir>/content-cache
  const std::string& dir() const { return dir_; }

  /// The manifest of `diff_id` and its digest; nullopt when absent or damaged.
  /// kPermission when the cache is open to others.
  Result<std::optional<std::pair<ExpectedTree, std::string>>> LoadManifest(
      const std::string& diff_id) const;
  /// Writes the manifest of `diff_id`; returns its digest.
  Result<std::string> StoreManifest(const std::string& diff_id, const ExpectedTree& tree) const;

  /// The fingerprints recorded for (diff_id, diff_dir); nullopt when absent or damaged.
  Result<std::optional<FingerprintRecord>> LoadFingerprints(const std::string& diff_id,
                                                            const std::string& diff_dir) const;
  Status StoreFingerprints(const FingerprintRecord& rec) const;

  /// Creates the cache's directories (mode 0700) when missing; kPermission when one is not a
  /// private directory.
  Status EnsureDirs() const;

 private:
  Result<std::optional<std::string>> ReadChecked(const std::string& path,
                                                 std::string_view magic) const;
  std::string dir_;
  DeferredWrites* defer_;
};

/// Serialises a tree (with content digests) and parses it back (exposed for tests and fuzzing).
std::string EncodeManifest(const std::string& diff_id, const ExpectedTree& tree);
Result<ExpectedTree> DecodeManifest(std::string_view body, const std::string& diff_id);
std::string EncodeFingerprints(const FingerprintRecord& rec);
Result<FingerprintRecord> DecodeFingerprints(std::string_view body);

}  // namespace verified::content
