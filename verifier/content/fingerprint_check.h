// `cached` mode's fast path: is a layer directory still exactly as it was when verified?
//
// Re-stats every recorded object (one statx per object, through its parent directory, see
// disk.h) and compares inode, size, mtime, ctime, mode and owner with the recorded values.
// No directory is listed and no file is read: a name added to or removed from a directory
// changes that directory's mtime and ctime, and any write, chmod, chown, xattr change,
// rename or replacement changes the object's ctime or inode, which the kernel sets and no
// unprivileged utime call can restore.
#pragma once

#include <optional>
#include <string>

#include "verifier/content/disk.h"
#include "verifier/content/tree_walk.h"
#include "verifier/core/result.h"

namespace verified::content {

/// Compares groups [begin, end) of `fps` with the directory at `rootfd` (whose mount id is
/// `root.mnt_id`). Returns the path of the first object that changed, vanished or is now a
/// mount point, or nullopt when all match.
Result<std::optional<std::string>> FirstFingerprintChange(int rootfd, const DiskStat& root,
                                                          const Fingerprints& fps, size_t begin,
                                                          size_t end);

}  // namespace verified::content
