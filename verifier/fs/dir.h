// Dir: a directory handle that only ever reaches files beneath itself.
//
// Every store file is untrusted input. Paths are resolved relative to an open directory fd with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS), so neither `..`, an
// absolute name nor a symlink planted in the store can move a read outside it. On kernels
// without openat2 the same rule is enforced by walking one O_NOFOLLOW component at a time.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// Validates a relative path taken from untrusted data: non-empty, not absolute, no `.` or
/// `..` components, no empty components, no NUL, at most `max_len` bytes.
/// Fails with kUnsafePath (or kTooLarge) naming the path.
Status CheckRelativePath(std::string_view path, size_t max_len = 4096);

/// Text for an errno value that never contains the phrases the docker CLI maps to exit codes
/// 126/127 ("no such file or directory", "permission denied").
std::string ErrnoText(int err);

/// Creates an error of `kind` from errno `err`: "<what>: <errno text>"; ENOENT gives kNotFound.
Error SysError(int err, std::string_view what);

/// A move-only owner of a directory file descriptor.
class Dir {
 public:
  /// Opens an absolute or cwd-relative directory path (following symlinks, as the admin
  /// configured it). Fails with kNotFound / kIo.
  static Result<Dir> Open(const std::string& path);

  Dir() = default;
  ~Dir();
  Dir(Dir&& other) noexcept;
  Dir& operator=(Dir&& other) noexcept;
  Dir(const Dir&) = delete;
  Dir& operator=(const Dir&) = delete;

  int fd() const { return fd_; }
  /// The path this handle was opened from (for messages only; never re-resolved).
  const std::string& path() const { return path_; }

  /// Opens `rel` (validated by CheckRelativePath) beneath this directory, refusing symlinks.
  Result<Dir> OpenDir(std::string_view rel) const;

  /// Opens a regular file beneath this directory for reading and returns its fd (caller
  /// closes). Refuses symlinks and non-regular files.
  Result<int> OpenFile(std::string_view rel) const;

  /// Reads a whole regular file beneath this directory. Fails with kTooLarge when it holds
  /// more than `limit` bytes (nothing is returned), kNotFound when absent.
  Result<std::string> ReadFile(std::string_view rel, size_t limit) const;

  /// Reads the target of a symlink beneath this directory (the link itself is not followed).
  Result<std::string> ReadLink(std::string_view rel) const;

  /// lstat of `rel` beneath this directory (no symlink followed at the last component;
  /// symlinks in earlier components are refused).
  Result<struct stat> Lstat(std::string_view rel) const;

  /// True when `rel` exists (as anything, symlinks not followed). Errors other than ENOENT are
  /// reported.
  Result<bool> Exists(std::string_view rel) const;

  /// Names in `rel` ("" for this directory), without "." and "..", unsorted. At most
  /// `max_entries` names are returned; more is kTooLarge.
  Result<std::vector<std::string>> List(std::string_view rel, size_t max_entries) const;

 private:
  Dir(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  Result<int> OpenBeneath(std::string_view rel, int flags) const;
  // The directory holding the last component of `rel` (a duplicate of this one when `rel` has
  // a single component); the component goes to *leaf.
  Result<Dir> OpenParent(std::string_view rel, std::string* leaf) const;

  int fd_ = -1;
  std::string path_;
};

/// Reads a whole regular file from an absolute path (an admin-controlled location such as the
/// config dir), refusing a symlink at the last component and files over `limit` bytes.
Result<std::string> ReadFileLimited(const std::string& path, size_t limit);

/// Reads everything from an open fd, up to `limit` bytes (kTooLarge beyond).
Result<std::string> ReadFdLimited(int fd, size_t limit, std::string_view what);

/// The non-empty directories of a PATH-style list, in order.
std::vector<std::string> SplitSearchPath(const std::string& path_env);

}  // namespace verified
