// A streaming reader of tar headers (POSIX ustar, PAX and GNU extensions).
//
// Content verification hashes a layer's tar stream as it is reassembled; this parser watches
// the same bytes to learn every entry's header (name, type, mode, owner, times, link target,
// device numbers, xattrs), which is what the layer directory on disk must match. It mirrors
// Go's archive/tar reader, the one tar-split and Docker use: header checksums, PAX records
// (path, linkpath, size, uid, gid, mtime, SCHILY.xattr.*), GNU long names ('L', 'K') and
// base-256 numbers. Sparse files and multi-volume archives are refused (kUnsupported).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "verifier/core/result.h"

namespace verified::content {

/// One archive entry as its header(s) describe it.
struct TarEntry {
  std::string name;      ///< full name (PAX path, GNU long name or ustar prefix/name)
  std::string linkname;  ///< link target for hard links and symlinks
  char type = '0';       ///< normalised typeflag: '0' regular (also '\0', '7'), '1'..'6', 'g'
  uint32_t mode = 0;     ///< permission bits (07777)
  uint64_t uid = 0, gid = 0;
  int64_t size = 0;  ///< content bytes that follow the header in the archive
  int64_t mtime_sec = 0;
  uint32_t mtime_nsec = 0;
  uint32_t devmajor = 0, devminor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;  ///< SCHILY.xattr.*, sorted
  uint64_t offset = 0;  ///< offset of the (first) header block in the archive
};

/// Consumes an archive byte stream in pieces and reports each entry when its header is
/// complete. Content may be fed inline (a whole tar, e.g. a layer blob) or declared with
/// SkipContent (tar-split: content comes from files on disk, never from segments).
class TarStreamParser {
 public:
  using EntryFn = std::function<Status(const TarEntry&)>;
  using ContentFn = std::function<void(const char*, size_t)>;

  /// `on_entry` runs once per entry, after its header and before its content.
  /// `inline_content`: content bytes may arrive through Feed (passed to `on_content`, which
  /// may be empty); when false, content fed inline is an error.
  TarStreamParser(EntryFn on_entry, bool inline_content, ContentFn on_content = nullptr);

  /// Feeds archive bytes. Errors: kParse (bad header, checksum, PAX record), kUnsupported,
  /// kTooLarge, kIntegrity (content inline when it must come from disk).
  Status Feed(const char* data, size_t len);

  /// Declares that `len` content bytes of the current entry came from elsewhere.
  Status SkipContent(uint64_t len);

  /// Content bytes the current entry still expects.
  uint64_t ContentRemaining() const { return state_ == State::kContent ? remaining_ : 0; }

  /// True once the end-of-archive marker (two zero blocks) has been read.
  bool AtEnd() const { return state_ == State::kEnd; }

  /// Checks the archive ended cleanly: end marker seen, nothing half-read.
  Status Finish() const;

  /// Bytes consumed so far (inline bytes and skipped content).
  uint64_t offset() const { return offset_; }

 private:
  enum class State { kHeader, kContent, kPadding, kExtData, kEnd };
  Status OnBlock();
  Status OnExtData();
  Status ParsePax(const std::string& data, bool global);
  Status EmitEntry(const char* blk);
  void AfterData(uint64_t size);

  EntryFn on_entry_;
  bool inline_content_;
  ContentFn on_content_;
  State state_ = State::kHeader;
  char block_[512];
  size_t block_len_ = 0;
  uint64_t remaining_ = 0;  // content or extension data bytes left
  uint64_t padding_ = 0;    // padding bytes left
  uint64_t offset_ = 0;
  uint64_t entry_offset_ = 0;
  bool entry_started_ = false;
  char ext_type_ = 0;  // 'x', 'g', 'L', 'K' while reading extension data
  char ext_block_[512];
  std::string ext_data_;
  uint64_t content_size_ = 0;
  // Extension state that applies to the next real header.
  std::vector<std::pair<std::string, std::string>> pax_;
  std::string gnu_name_, gnu_link_;
  bool have_gnu_name_ = false, have_gnu_link_ = false;
  int zero_blocks_ = 0;
};

}  // namespace verified::content
