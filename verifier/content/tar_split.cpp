#include "verifier/content/tar_split.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "verifier/content/limits.h"
#include "verifier/fs/dir.h"

namespace verified::content {
namespace {

constexpr size_t kInChunk = 256u << 10;
constexpr size_t kOutChunk = 1u << 20;

}  // namespace

TarSplitReader::TarSplitReader(int fd, std::string_view mem, std::string what)
    : fd_(fd), mem_(mem), what_(std::move(what)) {}

TarSplitReader::~TarSplitReader() {
  if (z_init_) inflateEnd(&zs_);
  if (fd_ >= 0) close(fd_);
}

Result<std::unique_ptr<TarSplitReader>> TarSplitReader::FromFd(int fd, std::string what) {
  std::unique_ptr<TarSplitReader> r(new TarSplitReader(fd, {}, std::move(what)));
  r->in_buf_.reset(new unsigned char[kInChunk]);
  r->out_buf_.reset(new char[kOutChunk]);
  // 16 + MAX_WBITS: gzip framing only (tar-split is always gzip).
  if (inflateInit2(&r->zs_, 16 + MAX_WBITS) != Z_OK) {
    return MakeError(ErrorKind::kInternal, "{}: zlib init failed", r->what_);
  }
  r->z_init_ = true;
  return r;
}

Result<std::unique_ptr<TarSplitReader>> TarSplitReader::FromMemory(std::string_view gz,
                                                                   std::string what) {
  std::unique_ptr<TarSplitReader> r(new TarSplitReader(-1, gz, std::move(what)));
  r->out_buf_.reset(new char[kOutChunk]);
  if (inflateInit2(&r->zs_, 16 + MAX_WBITS) != Z_OK) {
    return MakeError(ErrorKind::kInternal, "{}: zlib init failed", r->what_);
  }
  r->z_init_ = true;
  r->zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(gz.data()));
  r->zs_.avail_in = static_cast<uInt>(gz.size());
  r->in_eof_ = true;
  if (gz.size() > UINT32_MAX) return MakeError(ErrorKind::kTooLarge, "{}: too large", r->what_);
  return r;
}

// Decompresses the next chunk into out_buf_. Sets z_end_ when no more output will come.
Status TarSplitReader::Fill() {
  out_len_ = 0;
  out_pos_ = 0;
  while (out_len_ == 0 && !z_end_) {
    if (zs_.avail_in == 0 && !in_eof_) {
      ssize_t n;
      do {
        n = read(fd_, in_buf_.get(), kInChunk);
      } while (n < 0 && errno == EINTR);
      if (n < 0) return SysError(errno, "read " + what_);
      if (n == 0) in_eof_ = true;
      zs_.next_in = in_buf_.get();
      zs_.avail_in = static_cast<uInt>(n);
    }
    zs_.next_out = reinterpret_cast<Bytef*>(out_buf_.get());
    zs_.avail_out = static_cast<uInt>(kOutChunk);
    int rc = inflate(&zs_, Z_NO_FLUSH);
    out_len_ = kOutChunk - zs_.avail_out;
    total_out_ += out_len_;
    if (total_out_ > kMaxTarSplitBytes) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} bytes decompressed", what_,
                       kMaxTarSplitBytes);
    }
    if (rc == Z_STREAM_END) {
      // Go's gzip reader accepts concatenated members; so do we.
      if (zs_.avail_in == 0 && in_eof_) {
        z_end_ = true;
      } else if (zs_.avail_in == 0 && !in_eof_) {
        // Peek for another member before declaring the end.
        ssize_t n;
        do {
          n = read(fd_, in_buf_.get(), kInChunk);
        } while (n < 0 && errno == EINTR);
        if (n < 0) return SysError(errno, "read " + what_);
        if (n == 0) {
          in_eof_ = true;
          z_end_ = true;
        } else {
          zs_.next_in = in_buf_.get();
          zs_.avail_in = static_cast<uInt>(n);
          inflateReset(&zs_);
        }
      } else {
        inflateReset(&zs_);
      }
    } else if (rc == Z_BUF_ERROR) {
      if (zs_.avail_in == 0 && in_eof_ && out_len_ == 0) {
        return MakeError(ErrorKind::kParse, "{}: gzip stream is truncated", what_);
      }
    } else if (rc != Z_OK) {
      return MakeError(ErrorKind::kParse, "{}: corrupt gzip data ({})", what_,
                       zs_.msg != nullptr ? zs_.msg : "inflate failed");
    }
  }
  return Ok();
}

Result<bool> TarSplitReader::NextLine(std::string_view& line) {
  carry_.clear();
  while (true) {
    if (out_pos_ == out_len_) {
      if (z_end_) {
        if (carry_.empty()) return false;
        line = carry_;  // a last line without '\n'
        return true;
      }
      VERIFIED_RETURN_IF_ERROR(Fill());
      continue;
    }
    const char* start = out_buf_.get() + out_pos_;
    size_t avail = out_len_ - out_pos_;
    const void* nl = memchr(start, '\n', avail);
    size_t take = nl != nullptr ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
    if (carry_.size() + take > kMaxTarSplitLine) {
      return MakeError(ErrorKind::kTooLarge, "{}: line {} is longer than {} bytes", what_,
                       lines_ + 1, kMaxTarSplitLine);
    }
    if (nl != nullptr && carry_.empty()) {
      line = std::string_view(start, take);  // the common case: no copy
      out_pos_ += take + 1;
      return true;
    }
    carry_.append(start, take);
    out_pos_ += take + (nl != nullptr ? 1 : 0);
    if (nl != nullptr) {
      line = carry_;
      return true;
    }
  }
}

Result<bool> TarSplitReader::Next(TarSplitEntry& out) {
  while (true) {
    std::string_view line;
    VERIFIED_ASSIGN_OR_RETURN(bool more, NextLine(line));
    if (!more) return false;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;  // blank line
    if (++lines_ > kMaxTarSplitLines) {
      return MakeError(ErrorKind::kTooLarge, "{}: more than {} lines", what_, kMaxTarSplitLines);
    }
    auto st = ParseTarSplitLine(line, out);
    if (!st.ok()) return Wrap(std::move(st).error(), "{} line {}", what_, lines_);
    if (out.position != static_cast<int64_t>(lines_ - 1)) {
      return MakeError(ErrorKind::kParse, "{} line {}: position {} is out of order", what_, lines_,
                       out.position);
    }
    return true;
  }
}

}  // namespace verified::content
