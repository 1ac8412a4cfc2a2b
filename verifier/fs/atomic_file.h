// Crash-safe replacement of small files, and the config dir's writer lock.
//
// Writers take an exclusive flock, write a temp file in the same directory, fsync it, rename
// it over the target and fsync the directory. Readers (the runtime) never lock: rename is
// atomic, so they see either the old or the new file, never half of one.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified {

/// Atomically replaces `path` with `content` (file mode `mode`). The directory must exist.
Status WriteFileAtomic(const std::string& path, std::string_view content, unsigned mode = 0644);

/// Removes `path` and fsyncs its directory; absent is not an error.
Status RemoveFileDurable(const std::string& path);

/// Creates `path` and missing parents with `mode` (like mkdir -p).
Status MakeDirs(const std::string& path, unsigned mode = 0755);

/// An exclusive advisory lock held for the object's lifetime (flock on a lock file).
class FileLock {
 public:
  /// Blocks until the lock on `path` (created if missing, mode 0600) is held.
  static Result<FileLock> Acquire(const std::string& path);
  FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  FileLock& operator=(FileLock&&) = delete;
  FileLock(const FileLock&) = delete;
  ~FileLock();

 private:
  explicit FileLock(int fd) : fd_(fd) {}
  int fd_;
};

}  // namespace verified
