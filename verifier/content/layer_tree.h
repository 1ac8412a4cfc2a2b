// The tree a layer directory must hold, derived from the layer's tar headers.
//
// Engines unpack a layer tar into its own directory with a fixed set of conversions (moby
// pkg/archive Unpack with the overlay whiteout converter, containerd archive.Apply with the
// overlayfs snapshotter), and this model applies the same ones:
//   - names are cleaned ("./a//b/" -> "a/b"); the root entry "." is skipped;
//   - ".wh.NAME" becomes a character device 0/0 named NAME (an overlay whiteout) owned as the
//     header says; ".wh..wh..opq" marks its directory opaque (xattr trusted.overlay.opaque=y);
//   - parents missing from the archive are created as directories ("implicit");
//   - hard links share the inode of their target.
// Absolute names and ".." components are refused (kUnsafePath) rather than rewritten, and
// two entries for one path, AUFS metadata (".wh..wh.*") and unknown types are kUnsupported:
// content verification fails closed on archives no supported engine produces.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "verifier/content/tar_header.h"
#include "verifier/core/result.h"

namespace verified::content {

/// What kind of filesystem object a path is.
enum class NodeType : uint8_t {
  kRegular,
  kDirectory,
  kSymlink,
  kHardlink,  ///< same inode as `link` (expected side only)
  kChar,
  kBlock,
  kFifo,
  kWhiteout,  ///< character device 0/0
};

/// Human-readable type name ("regular file", "symlink", ...).
const char* NodeTypeName(NodeType t);

/// One expected filesystem object.
struct ExpectedNode {
  std::string path;  ///< cleaned relative path, never empty
  NodeType type = NodeType::kRegular;
  bool implicit = false;  ///< a parent directory the archive does not list
  bool opaque = false;    ///< directory marked opaque by ".wh..wh..opq"
  uint32_t mode = 0;      ///< permission bits (07777)
  uint64_t uid = 0, gid = 0;
  int64_t size = 0;
  int64_t mtime_sec = 0;
  uint32_t mtime_nsec = 0;
  std::string link;  ///< symlink target (verbatim) or hard-link target path (cleaned)
  uint32_t devmajor = 0, devminor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;  ///< sorted, opaque marker removed
  std::string content_sha256;  ///< hex digest of the content when known (manifests), else ""
};

/// The expected tree of one layer.
struct ExpectedTree {
  std::vector<ExpectedNode> nodes;  ///< archive order; implicit parents before children
  bool root_opaque = false;         ///< ".wh..wh..opq" at the top of the layer
  /// Index of each path in `nodes`.
  std::unordered_map<std::string, size_t> index;

  const ExpectedNode* Find(std::string_view path) const;
};

/// Cleans an archive name: strips "./" components, repeated and trailing slashes. Returns ""
/// for the root. Fails with kUnsafePath for an absolute name or a ".." component, kTooLarge
/// beyond kMaxPathBytes.
Result<std::string> CleanArchiveName(std::string_view name);

/// Builds an ExpectedTree from tar entries in archive order.
class ExpectedTreeBuilder {
 public:
  /// Adds one archive entry. Errors name the entry.
  Status Add(const TarEntry& e);
  /// Adds implicit parents and checks hard-link targets; returns the tree.
  Result<ExpectedTree> Finish() &&;

  /// Index of the node the last Add created or updated (valid after a successful Add of an
  /// entry that produced a node).
  size_t last_index() const { return last_index_; }
  /// A node added so far.
  const ExpectedNode& node(size_t i) const { return tree_.nodes[i]; }

 private:
  Status Insert(ExpectedNode n);
  Status EnsureParents(const std::string& path);
  ExpectedTree tree_;
  size_t last_index_ = SIZE_MAX;
  std::string last_parent_;  ///< the parent most recently found to be a directory
};

}  // namespace verified::content
