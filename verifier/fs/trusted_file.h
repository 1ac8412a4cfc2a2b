// Files whose content decides what runs on the host (policy.json, runtime.json, the
// registration records under images/): only root (or the user running the tool) may have
// written them.
//
// The rule, the same for every such file and directory: not a symlink, owned by root or the
// effective user, not writable by group or others. Anything else is kPermission with a message
// naming the path and the command that fixes it ("chown root ...", "chmod go-w ...").
#pragma once

#include <sys/stat.h>

#include <string>

#include "verifier/core/result.h"

namespace verified {

/// Applies the rule to stat data already taken of `path` (for messages). kPermission when
/// `st` is a symlink, owned by another uid than root and the effective user, or writable by
/// group or others.
Status CheckTrustedStat(const struct stat& st, const std::string& path);

/// lstat()s `path` and applies the rule. kNotFound when it does not exist.
Status CheckTrustedPath(const std::string& path);

/// Reads a whole regular file at `path` that follows the rule, checked on the open file
/// itself (O_NOFOLLOW, then fstat), so nothing can be swapped in between the check and the
/// read. kNotFound when absent, kPermission when untrusted (a symlink included), kUnsafePath
/// when not a regular file, kTooLarge beyond `limit` bytes.
Result<std::string> ReadTrustedFile(const std::string& path, size_t limit);

/// The same for a file already opened (by a Dir, for instance); does not close `fd`.
Result<std::string> ReadTrustedFd(int fd, const std::string& path, size_t limit);

}  // namespace verified
