// Comparing one expected layer entry with the object found on disk.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "verifier/content/disk.h"
#include "verifier/content/layer_tree.h"

namespace verified::content {

/// What the walker found at a path (the parts a comparison needs).
struct DiskObject {
  DiskStat st;
  std::string link;                                         ///< symlink target (symlinks only)
  std::vector<std::pair<std::string, std::string>> xattrs;  ///< without the opaque marker
  bool opaque = false;
};

/// Compares `want` with `have` as the unpackers leave it (see layer_tree.h): type, permission
/// bits, owner, size, mtime, link target, device numbers, xattrs and the opaque marker, each
/// where the unpacker sets it (no mode for symlinks and whiteouts, nothing but the type and the
/// opaque marker for implicit directories). Hard links are checked by the walker (inodes).
/// Returns a sentence describing the first difference, or nullopt when they match.
std::optional<std::string> CompareNode(const ExpectedNode& want, const DiskObject& have);

/// "0755"-style text of permission bits.
std::string ModeText(uint32_t mode);

}  // namespace verified::content
