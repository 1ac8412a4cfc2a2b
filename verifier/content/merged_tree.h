// MergedTree: the files a container's root filesystem shows before it runs, computed from the
// image's unpacked layers (ResolvedImage::layers, bottom first) as overlayfs merges them.
//
// Overlay rules applied (kernel Documentation/filesystems/overlayfs.rst):
//   - an upper entry hides the lower entry of the same name (a file over a directory hides the
//     whole lower subtree; a directory over a file hides the file);
//   - a whiteout (character device 0/0, or an AUFS-style ".wh.NAME" file) deletes NAME and
//     everything beneath it from the layers below;
//   - an opaque directory (xattr trusted.overlay.opaque or user.overlay.opaque = "y", or an
//     AUFS-style ".wh..wh..opq" entry) hides everything the layers below had inside it.
// Trusted xattrs are only visible to CAP_SYS_ADMIN: without it, opaque directories look
// ordinary and lower files stay visible, which makes every check built on this view report
// more, never less.
//
// The walk is bounded (entries over all layers, depth), opens every directory with
// openat(O_NOFOLLOW | O_DIRECTORY) relative to its parent and never follows a symlink: a
// symlink is recorded with its target text, nothing more.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// Bounds of one merge.
struct MergeLimits {
  size_t max_entries = 1'000'000;  ///< directory entries visited over all layers
  size_t max_depth = 128;          ///< directory nesting below a layer's root
};

/// A non-directory entry visible in the merged image (regular file or symlink).
struct MergedEntry {
  size_t layer = 0;  ///< index into the layers, bottom = 0
  mode_t mode = 0;   ///< st_mode from lstat (type and permission bits)
  uint64_t size = 0;
  std::string link_target;  ///< the symlink's target text ("" for regular files)

  bool IsSymlink() const;
  bool IsRegular() const;
  /// A regular file with any execute bit.
  bool IsExecutable() const;
};

/// The merged view of an image's layers.
class MergedTree {
 public:
  /// Merges `layers` (bottom first). Fails with kNotFound when there are no layer directories
  /// (the engine did not resolve the image from disk), kTooLarge past `limits`, kIo / kNotFound
  /// when a layer directory cannot be read. Directories themselves are not recorded.
  static Result<MergedTree> Build(const std::vector<LayerLocation>& layers,
                                  const MergeLimits& limits = {});

  /// Builds a tree from entries directly (tests, fuzzing). Paths are relative ("bin/sh").
  static MergedTree FromEntries(std::map<std::string, MergedEntry> entries,
                                std::vector<std::string> layer_dirs);

  /// Every visible regular file and symlink, keyed by relative path ("usr/bin/env").
  const std::map<std::string, MergedEntry>& entries() const { return entries_; }
  /// The entry at a relative path, or nullptr (absent, or a directory).
  const MergedEntry* Find(std::string_view rel) const;
  /// The absolute diff directory of layer `index`.
  const std::string& LayerDir(size_t index) const { return layer_dirs_[index]; }
  /// Directory entries visited while merging.
  size_t visited() const { return visited_; }

  /// Resolves an absolute path inside the container through the image's symlinks, the way
  /// runc resolves a mount destination inside the rootfs (symlinks are followed and clamped
  /// at the root, ".." never leaves it). Returns the resolved relative path ("" = the root).
  /// Fails with kTooLarge after 40 symlinks (a loop).
  Result<std::string> Resolve(std::string_view abs_path) const;

  /// Reads a regular file of the merged view from the layer that provides it, refusing
  /// symlinks, up to `limit` bytes. kNotFound when the view has no regular file there.
  Result<std::string> ReadFile(std::string_view rel, size_t limit) const;

 private:
  std::map<std::string, MergedEntry> entries_;
  std::vector<std::string> layer_dirs_;
  size_t visited_ = 0;
  friend class LayerMerger;
};

/// "/" + rel, for messages ("bin/sh" -> "/bin/sh", "" -> "/").
std::string AbsPath(std::string_view rel);

/// Lexically cleaned absolute path: empty and "." components dropped, ".." applied and clamped
/// at "/" ("//a/./b/../c/" -> "/a/c", "" -> "/"). No symlink is looked at.
std::string CleanAbsolutePath(std::string_view path);

}  // namespace verified
