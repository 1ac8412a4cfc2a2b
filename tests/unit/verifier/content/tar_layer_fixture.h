// Test fixtures for content verification: layers generated in the test itself.
//
// BuildTar writes an archive the way Go's archive/tar does for Docker (ustar headers, a PAX
// 'x' header for long names, xattrs and sub-second times; or GNU 'L'/'K' long names).
// DisassembleTar turns any archive into a tar-split stream exactly as
// tar-split/tar/asm/disassemble.go does, using its own minimal scanner (independent of the
// parser under test). Extract unpacks entries the way moby's overlay unpacker does
// (whiteouts as 0/0 character devices, opaque directories as xattrs, directory times last).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "unit/support/temp_dir.h"
#include "verifier/store/resolved_image.h"

namespace verified::content::fixture {

/// One archive entry.
struct Entry {
  enum Kind { kDir, kFile, kSymlink, kHardlink, kWhiteout, kOpaque, kFifo, kChar };
  Kind kind = kFile;
  std::string name;  ///< archive name ("bin/", "bin/sh")
  std::string content;
  std::string link;
  uint32_t mode = 0644;
  uint32_t uid = 0, gid = 0;
  int64_t mtime = 1700000000;
  uint32_t mtime_nsec = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
  uint32_t devmajor = 0, devminor = 0;
};

Entry Dir(std::string name, uint32_t mode = 0755);
Entry File(std::string name, std::string content, uint32_t mode = 0644);
Entry Symlink(std::string name, std::string target);
Entry Hardlink(std::string name, std::string target);
Entry Whiteout(std::string name);  ///< name of the deleted path ("etc/x" -> "etc/.wh.x")
Entry Opaque(std::string dir);     ///< "dir/.wh..wh..opq"

enum class Style { kPax, kGnu };

/// The archive bytes.
std::string BuildTar(const std::vector<Entry>& entries, Style style = Style::kPax,
                     size_t trailing_zero_bytes = 0);

/// tar-split JSON lines (uncompressed) for any archive.
std::string DisassembleTar(const std::string& tar);

/// Gzip of `data` (one member).
std::string Gzip(const std::string& data);

/// Unpacks `entries` into `dir` (which must exist) like moby's overlay unpacker.
void Extract(const std::vector<Entry>& entries, const std::string& dir);

/// "sha256:" + hex SHA-256.
std::string DiffId(const std::string& tar);

// Temporary directories and whole-file helpers are the shared test support's.
using ::verified::testing::ReadFile;
using ::verified::testing::TempDir;
using ::verified::testing::WriteFile;

/// A ready layer on disk: diff dir, tar-split file, blob and diffID.
struct DiskLayer {
  std::string diff_dir, tar_split, blob, diff_id;
  std::string tar;
  LayerLocation Location(bool with_tar_split = true, bool with_blob = false) const;
};

/// Builds `entries` into `root`/<name>/{diff,tar-split.json.gz,blob.tar.gz}.
DiskLayer MakeLayer(const std::string& root, const std::string& name,
                    const std::vector<Entry>& entries, Style style = Style::kPax);

/// A typical image layer: directories, files (one larger than the read buffer), symlinks, a
/// hard link, an empty file, a long PAX name, an xattr and a sub-second mtime.
std::vector<Entry> TypicalEntries();

/// True when running as root (devices, chown, trusted.* xattrs need it).
bool IsRoot();

}  // namespace verified::content::fixture
