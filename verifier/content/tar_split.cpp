#include "verifier/content/tar_split.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "verifier/content/base64.h"
#include "verifier/content/limits.h"
#include "verifier/fs/dir.h"

namespace verified::content {
namespace {

constexpr size_t kInChunk = 256u << 10;
constexpr size_t kOutChunk = 1u << 20;

// A minimal JSON scanner for the fixed shape tar-split writes (Go's encoding/json of
// storage.Entry). A general JSON parser would build a tree per line; layers have millions of
// lines and this sits on the create path.
class LineParser {
 public:
  explicit LineParser(std::string_view s) : s_(s) {}

  Status Parse(TarSplitEntry& e) {
    e.name.clear();
    e.payload.clear();
    e.size = 0;
    e.position = -1;
    int type = 0;
    bool seen_name = false, seen_raw = false, seen_size = false, seen_payload = false;
    bool seen_pos = false;
    SkipWs();
    if (!Eat('{')) return Fail("expected '{'");
    SkipWs();
    if (Eat('}')) return Fail("empty object");
    while (true) {
      SkipWs();
      std::string key;
      VERIFIED_RETURN_IF_ERROR(String(key));
      SkipWs();
      if (!Eat(':')) return Fail("expected ':'");
      SkipWs();
      auto dup = [&](bool& seen) {
        if (seen) return true;
        seen = true;
        return false;
      };
      if (key == "type") {
        if (type != 0) return Fail("duplicate key 'type'");
        int64_t v;
        VERIFIED_RETURN_IF_ERROR(Int(v));
        if (v != 1 && v != 2) return Fail("type must be 1 (file) or 2 (segment)");
        type = static_cast<int>(v);
      } else if (key == "name") {
        if (dup(seen_name)) return Fail("duplicate key 'name'");
        VERIFIED_RETURN_IF_ERROR(String(e.name));
      } else if (key == "name_raw") {
        if (dup(seen_raw)) return Fail("duplicate key 'name_raw'");
        VERIFIED_RETURN_IF_ERROR(Bytes(name_raw_));
      } else if (key == "size") {
        if (dup(seen_size)) return Fail("duplicate key 'size'");
        VERIFIED_RETURN_IF_ERROR(Int(e.size));
      } else if (key == "payload") {
        if (dup(seen_payload)) return Fail("duplicate key 'payload'");
        VERIFIED_RETURN_IF_ERROR(Bytes(e.payload));
      } else if (key == "position") {
        if (dup(seen_pos)) return Fail("duplicate key 'position'");
        VERIFIED_RETURN_IF_ERROR(Int(e.position));
      } else {
        return Fail("unknown key");
      }
      SkipWs();
      if (Eat(',')) continue;
      if (Eat('}')) break;
      return Fail("expected ',' or '}'");
    }
    SkipWs();
    if (pos_ != s_.size()) return Fail("trailing bytes after the object");
    if (type == 0) return Fail("no type");
    if (!seen_pos) return Fail("no position");
    e.type = static_cast<TarSplitEntry::Type>(type);
    if (seen_raw && !name_raw_.empty()) {
      if (seen_name && !e.name.empty()) return Fail("both name and name_raw");
      e.name.swap(name_raw_);
    }
    name_raw_.clear();
    if (e.type == TarSplitEntry::kSegment) {
      if (!e.name.empty() || e.size != 0) return Fail("a segment carries a name or size");
    } else {
      if (e.name.empty()) return Fail("a file entry has no name");
      if (e.size > 0 && e.payload.size() != 8) return Fail("file checksum is not 8 bytes");
      if (e.size == 0 && !e.payload.empty()) return Fail("an empty file carries a checksum");
    }
    return Ok();
  }

 private:
  Error Fail(const char* what) const {
    return MakeError(ErrorKind::kParse, "tar-split line: {} at byte {}", what, pos_);
  }
  void SkipWs() {
    while (pos_ < s_.size() &&
           (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n'))
      ++pos_;
  }
  bool Eat(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  bool EatWord(std::string_view w) {
    if (s_.substr(pos_, w.size()) == w) {
      pos_ += w.size();
      return true;
    }
    return false;
  }

  Status Int(int64_t& out) {
    size_t start = pos_;
    uint64_t v = 0;
    while (pos_ < s_.size() && s_[pos_] >= '0' && s_[pos_] <= '9') {
      v = v * 10 + static_cast<uint64_t>(s_[pos_] - '0');
      if (v > (1ull << 62)) return Fail("number too large");
      ++pos_;
    }
    if (pos_ == start) return Fail("expected a non-negative integer");
    if (s_[start] == '0' && pos_ - start > 1) return Fail("number with a leading zero");
    out = static_cast<int64_t>(v);
    return Ok();
  }

  // A base64 string or null (Go marshals a nil []byte as null).
  Status Bytes(std::string& out) {
    out.clear();
    if (EatWord("null")) return Ok();
    if (!Eat('"')) return Fail("expected a base64 string or null");
    size_t end = s_.find('"', pos_);
    if (end == std::string_view::npos) return Fail("unterminated string");
    auto st = Base64DecodeAppend(s_.substr(pos_, end - pos_), out);
    if (!st.ok()) return Fail("invalid base64");
    pos_ = end + 1;
    return Ok();
  }

  static int Hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }

  Result<uint32_t> Hex4() {
    if (pos_ + 4 > s_.size()) return Fail("short \\u escape");
    uint32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = Hex(s_[pos_ + static_cast<size_t>(i)]);
      if (h < 0) return Fail("bad \\u escape");
      v = v << 4 | static_cast<uint32_t>(h);
    }
    pos_ += 4;
    return v;
  }

  static void AppendUtf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  Status Escape(std::string& out) {
    if (pos_ >= s_.size()) return Fail("unterminated escape");
    char c = s_[pos_++];
    switch (c) {
      case '"':
        out += '"';
        return Ok();
      case '\\':
        out += '\\';
        return Ok();
      case '/':
        out += '/';
        return Ok();
      case 'b':
        out += '\b';
        return Ok();
      case 'f':
        out += '\f';
        return Ok();
      case 'n':
        out += '\n';
        return Ok();
      case 'r':
        out += '\r';
        return Ok();
      case 't':
        out += '\t';
        return Ok();
      case 'u':
        break;
      default:
        return Fail("bad escape");
    }
    VERIFIED_ASSIGN_OR_RETURN(uint32_t cp, Hex4());
    if (cp >= 0xD800 && cp < 0xDC00) {
      // A high surrogate must be followed by \u and a low surrogate; Go writes U+FFFD for a
      // lone one, so a lone one here is malformed input.
      if (!EatWord("\\u")) return Fail("lone surrogate");
      VERIFIED_ASSIGN_OR_RETURN(uint32_t lo, Hex4());
      if (lo < 0xDC00 || lo > 0xDFFF) return Fail("bad surrogate pair");
      cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    } else if (cp >= 0xDC00 && cp < 0xE000) {
      return Fail("lone surrogate");
    }
    AppendUtf8(out, cp);
    return Ok();
  }

  Status String(std::string& out) {
    out.clear();
    if (!Eat('"')) return Fail("expected a string");
    while (true) {
      size_t run = pos_;
      while (run < s_.size() && s_[run] != '"' && s_[run] != '\\' &&
             static_cast<unsigned char>(s_[run]) >= 0x20)
        ++run;
      out.append(s_.data() + pos_, run - pos_);
      pos_ = run;
      if (pos_ >= s_.size()) return Fail("unterminated string");
      char c = s_[pos_++];
      if (c == '"') break;
      if (c == '\\') {
        VERIFIED_RETURN_IF_ERROR(Escape(out));
        continue;
      }
      return Fail("control character in a string");
    }
    if (out.size() > kMaxPathBytes) return Fail("string longer than a path may be");
    return Ok();
  }

  std::string_view s_;
  size_t pos_ = 0;
  std::string name_raw_;
};

}  // namespace

Status ParseTarSplitLine(std::string_view line, TarSplitEntry& out) {
  return LineParser(line).Parse(out);
}

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
