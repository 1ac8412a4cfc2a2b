// Reader for tar-split streams (github.com/vbatts/tar-split, tar/storage/entry.go).
//
// Docker's layerdb keeps `tar-split.json.gz` for every layer and containers/storage keeps
// `overlay-layers/<id>.tar-split.gz`: gzip of one JSON object per line,
//   {"type":2,"payload":"<base64 raw tar bytes>","position":0}
//   {"type":1,"name":"bin/sh","size":1234,"payload":"<base64 crc64>","position":1}
// Type 2 segments are the archive's own bytes (headers, padding, end blocks); type 1 entries
// name the file whose content comes next in the archive (read from the layer directory when
// size > 0). Concatenating segments and file contents in order gives back the exact tar whose
// SHA-256 is the layer's diffID.
//
// The stream is untrusted: lines, line count and total size are limited (content/limits.h),
// unknown keys and malformed values are refused, and positions must run 0, 1, 2, ...
#pragma once

#include <zlib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::content {

/// One tar-split line.
struct TarSplitEntry {
  enum Type { kFile = 1, kSegment = 2 };
  Type type = kSegment;
  std::string name;     ///< file entries: the tar name, raw bytes (from name or name_raw)
  int64_t size = 0;     ///< file entries: content size
  std::string payload;  ///< segments: the raw bytes; file entries: the 8-byte CRC-64 (or "")
  int64_t position = 0;
};

/// Parses one JSON line into `out` (reusing its buffers). Fails with kParse naming the fault.
Status ParseTarSplitLine(std::string_view line, TarSplitEntry& out);

/// Streams entries out of a gzip-compressed tar-split file with bounded memory.
class TarSplitReader {
 public:
  /// Reads from an open file descriptor (taken over and closed by the reader).
  static Result<std::unique_ptr<TarSplitReader>> FromFd(int fd, std::string what);
  /// Reads from gzip bytes held in memory (tests and fuzzing); `gz` must outlive the reader.
  static Result<std::unique_ptr<TarSplitReader>> FromMemory(std::string_view gz, std::string what);
  ~TarSplitReader();
  TarSplitReader(const TarSplitReader&) = delete;
  TarSplitReader& operator=(const TarSplitReader&) = delete;

  /// Reads the next entry into `out`. Returns false at the end of the stream. Errors: kParse
  /// (gzip or JSON), kTooLarge (limits), kIo.
  Result<bool> Next(TarSplitEntry& out);

  /// Decompressed bytes consumed so far.
  uint64_t bytes() const { return total_out_; }

 private:
  TarSplitReader(int fd, std::string_view mem, std::string what);
  Status Fill();
  Result<bool> NextLine(std::string_view& line);

  int fd_ = -1;
  std::string_view mem_;
  std::string what_;
  z_stream zs_{};
  bool z_init_ = false;
  bool in_eof_ = false;
  bool z_end_ = false;  ///< the last gzip member ended and no input is left
  std::unique_ptr<unsigned char[]> in_buf_;
  std::unique_ptr<char[]> out_buf_;
  size_t out_len_ = 0;  ///< valid bytes in out_buf_
  size_t out_pos_ = 0;  ///< next unread byte in out_buf_
  std::string carry_;   ///< a line that spans two output chunks
  uint64_t total_out_ = 0;
  size_t lines_ = 0;
};

}  // namespace verified::content
