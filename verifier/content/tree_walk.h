// Walking a layer directory and comparing it with the layer's expected tree.
//
// The walk visits every object under the layer root (directories in sorted order, one open
// directory at a time, see disk.h for how each level is opened), so a file added to the layer
// directory is found as surely as one changed or removed. It also records the fingerprints
// `cached` mode keeps.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "verifier/content/disk.h"
#include "verifier/content/layer_tree.h"
#include "verifier/content/node_compare.h"
#include "verifier/core/result.h"

namespace verified::content {

/// A regular file whose content was already read (and stat'ed before reading) by the
/// tar-split pass; the walk reuses that stat instead of a second one.
struct HashedFile {
  bool valid = false;
  DiskStat st;
  std::vector<std::pair<std::string, std::string>> xattrs;
};
/// Indexed like ExpectedTree::nodes (entries beyond the end or not `valid` were not read).
using HashedFiles = std::vector<HashedFile>;

/// One object's fingerprint in `cached` mode.
struct FingerprintEntry {
  std::string name;
  DiskStat st;
};

/// The fingerprints of one directory's children.
struct FingerprintGroup {
  std::string dir;  ///< relative path of the directory ("" for the layer root)
  DiskStat dir_st;  ///< the directory's own fingerprint
  std::vector<FingerprintEntry> entries;
};

/// Fingerprints of a whole layer directory.
struct Fingerprints {
  DiskStat root;
  std::vector<FingerprintGroup> groups;
  size_t count = 0;
};

/// A difference between the layer and the disk.
struct TreeMismatch {
  std::string path;     ///< layer-relative path ("" for the layer root)
  std::string message;  ///< what differs, a sentence without the path
};

/// Checks a regular file's content itself (manifest mode): given the expected node, an open
/// fd and its stat, returns a mismatch sentence or nullopt.
using ContentCheck =
    std::function<Result<std::optional<std::string>>(const ExpectedNode&, int fd, const DiskStat&)>;

/// What the walk reuses and records.
struct WalkOptions {
  const HashedFiles* hashed = nullptr;  ///< files the tar-split pass read (may be null)
  ContentCheck content;                 ///< when set: called for regular files with size > 0
  Fingerprints* record = nullptr;       ///< when set: every object's fingerprint is recorded
  /// Objects whose ctime (ns since the epoch) is at or after this are recorded as "racy"
  /// (never trusted by a later fingerprint check): a change made within the same clock tick as
  /// the stat leaves ctime unchanged, so only an older ctime proves a later change shows.
  int64_t racy_after_ns = INT64_MAX;
};

/// Walks the layer at `rootfd` (stat `root`) and compares every object with `tree`. Returns
/// the first mismatch (sorted walk order, then missing entries in archive order), or nullopt
/// when the directory holds exactly the tree. Errors: I/O failures and limits.
Result<std::optional<TreeMismatch>> WalkAndCompare(int rootfd, const DiskStat& root,
                                                   const ExpectedTree& tree,
                                                   const WalkOptions& opt);

/// Marks a recorded stat as never matching a later one (see racy_after_ns).
void MarkRacy(DiskStat& st);

/// Applies MarkRacy when `st`'s ctime is at or after `racy_after_ns`.
void MarkIfRacy(DiskStat& st, int64_t racy_after_ns);

/// The racy threshold for a verification starting now: the kernel's coarse clock (which
/// stamps ctime) minus a margin of several ticks.
int64_t RacyThreshold();

}  // namespace verified::content
