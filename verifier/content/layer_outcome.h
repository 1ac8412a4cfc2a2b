// The result of verifying one layer, shared by the tar-split and manifest checks.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "verifier/content/layer_tree.h"
#include "verifier/content/tree_walk.h"

namespace verified::content {

/// Whether one layer directory matches its layer. A mismatch is data, not an error: errors
/// (malformed tar-split, I/O failures) are reported through Result.
struct LayerOutcome {
  bool ok = false;
  std::string file;         ///< layer path of the first differing object ("" for the whole layer)
  std::string message;      ///< what differs, a sentence
  std::string digest;       ///< "sha256:..." of the reassembled tar stream, when it was hashed
  uint64_t bytes = 0;       ///< bytes hashed
  uint64_t files = 0;       ///< files read
  uint64_t rehashed = 0;    ///< cached mode: files re-hashed because their fingerprint changed
  bool from_cache = false;  ///< cached mode: every fingerprint matched, nothing was read
};

/// Per-thread scratch space: one fixed read buffer, reused for every file.
struct Workspace {
  static constexpr size_t kBufferBytes = 256u << 10;  // stays in L2 between read and hash
  std::unique_ptr<char[]> buf{new char[kBufferBytes]};
};

/// What a verification records for `cached` mode: the layer's tree with each file's content
/// digest (the manifest) and every object's fingerprint.
struct Recording {
  ExpectedTree tree;
  Fingerprints fps;
};

}  // namespace verified::content
