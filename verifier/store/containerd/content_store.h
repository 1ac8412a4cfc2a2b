// containerd's content store: <root>/io.containerd.content.v1.content/blobs/sha256/<hex>.
// Blobs are plain files; every one we read is hashed against the digest that named it.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/fs/dir.h"

namespace verified::containerd {

/// Read access to one containerd root's blobs.
class ContentStore {
 public:
  /// Opens <containerd_root>/io.containerd.content.v1.content/blobs/sha256.
  static Result<ContentStore> Open(const Dir& containerd_root);

  /// Reads blob `digest` (a valid sha256 digest). Fails with kNotFound when absent,
  /// kTooLarge over `limit`, kIntegrity when the bytes do not hash to `digest` or their length
  /// differs from `expected_size` (when >= 0).
  Result<std::string> Read(const std::string& digest, size_t limit,
                           int64_t expected_size = -1) const;

 private:
  explicit ContentStore(Dir blobs) : blobs_(std::move(blobs)) {}
  Dir blobs_;
};

}  // namespace verified::containerd
