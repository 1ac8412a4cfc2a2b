// A small length-prefixed binary codec for the content cache files.
//
// Every read is bounds-checked: a truncated or crafted file yields kParse, never a read past
// the buffer. Strings are stored as u32 length + bytes + NUL, so a decoded name can be passed
// to a system call without a copy.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "verifier/content/disk.h"
#include "verifier/core/result.h"

namespace verified::content {

/// Appends little-endian values to a string.
class ByteWriter {
 public:
  void U8(uint8_t v) { out_ += static_cast<char>(v); }
  void U32(uint32_t v) { Raw(&v, 4); }
  void U64(uint64_t v) { Raw(&v, 8); }
  void I64(int64_t v) { Raw(&v, 8); }
  void Str(std::string_view s) {
    U32(static_cast<uint32_t>(s.size()));
    out_.append(s);
    out_ += '\0';
  }
  void Stat(const DiskStat& st);
  std::string& out() { return out_; }

 private:
  void Raw(const void* p, size_t n) { out_.append(static_cast<const char*>(p), n); }
  std::string out_;
};

/// Reads what ByteWriter wrote; the first failure sticks and is reported by status().
class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  uint8_t U8() {
    uint8_t v = 0;
    Raw(&v, 1);
    return v;
  }
  uint32_t U32() {
    uint32_t v = 0;
    Raw(&v, 4);
    return v;
  }
  uint64_t U64() {
    uint64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  int64_t I64() {
    int64_t v = 0;
    Raw(&v, 8);
    return v;
  }
  /// A string view into the input, NUL-terminated in the input (data()[size()] == '\0').
  std::string_view Str(size_t max_len);
  DiskStat Stat();
  /// A count that must be at most `max` (the rest of the file bounds it further).
  uint32_t Count(uint32_t max);
  bool ok() const { return ok_; }
  bool done() const { return pos_ == in_.size(); }
  Status status(std::string_view what) const;

 private:
  void Raw(void* p, size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return;
    }
    memcpy(p, in_.data() + pos_, n);
    pos_ += n;
  }
  std::string_view in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace verified::content
