#include "verifier/content/codec.h"

namespace verified::content {

void ByteWriter::Stat(const DiskStat& st) {
  U64(st.ino);
  I64(st.size);
  I64(st.mtime_sec);
  U32(st.mtime_nsec);
  I64(st.ctime_sec);
  U32(st.ctime_nsec);
  U32(st.mode);
  U32(st.uid);
  U32(st.gid);
}

DiskStat ByteReader::Stat() {
  DiskStat st;
  st.ino = U64();
  st.size = I64();
  st.mtime_sec = I64();
  st.mtime_nsec = U32();
  st.ctime_sec = I64();
  st.ctime_nsec = U32();
  st.mode = U32();
  st.uid = U32();
  st.gid = U32();
  return st;
}

std::string_view ByteReader::Str(size_t max_len) {
  uint32_t n = U32();
  if (!ok_ || n > max_len || in_.size() - pos_ < static_cast<size_t>(n) + 1 ||
      in_[pos_ + n] != '\0') {
    ok_ = false;
    return {};
  }
  std::string_view s = in_.substr(pos_, n);
  pos_ += static_cast<size_t>(n) + 1;
  return s;
}

uint32_t ByteReader::Count(uint32_t max) {
  uint32_t n = U32();
  if (n > max) ok_ = false;
  return ok_ ? n : 0;
}

Status ByteReader::status(std::string_view what) const {
  if (ok_) return Ok();
  return MakeError(ErrorKind::kParse, "{} is truncated or malformed near byte {}", what, pos_);
}

}  // namespace verified::content
