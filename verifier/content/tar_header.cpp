#include "verifier/content/tar_header.h"

#include <algorithm>
#include <cstring>
#include <map>

#include "verifier/content/limits.h"

namespace verified::content {
namespace {

std::string_view Field(const char* blk, size_t off, size_t len) {
  return std::string_view(blk + off, len);
}

// Go archive/tar parser.parseString: the bytes up to the first NUL.
std::string CString(std::string_view f) {
  auto nul = f.find('\0');
  return std::string(f.substr(0, nul));
}

// Go archive/tar parser.parseNumeric: base-256 when the high bit is set, otherwise octal with
// spaces and NULs trimmed from both ends (empty means 0).
Result<uint64_t> Numeric(std::string_view f, const char* what) {
  if (!f.empty() && (static_cast<unsigned char>(f[0]) & 0x80)) {
    if (static_cast<unsigned char>(f[0]) & 0x40) {
      return MakeError(ErrorKind::kParse, "tar header: negative {}", what);
    }
    uint64_t v = static_cast<unsigned char>(f[0]) & 0x3f;
    for (size_t i = 1; i < f.size(); ++i) {
      if (v >> 55) return MakeError(ErrorKind::kParse, "tar header: {} overflows", what);
      v = v << 8 | static_cast<unsigned char>(f[i]);
    }
    if (v > (1ull << 62)) return MakeError(ErrorKind::kParse, "tar header: {} overflows", what);
    return v;
  }
  size_t b = 0, e = f.size();
  while (b < e && (f[b] == ' ' || f[b] == '\0')) ++b;
  while (e > b && (f[e - 1] == ' ' || f[e - 1] == '\0')) --e;
  uint64_t v = 0;
  for (size_t i = b; i < e; ++i) {
    if (f[i] < '0' || f[i] > '7') {
      return MakeError(ErrorKind::kParse, "tar header: {} is not an octal number", what);
    }
    if (v >> 60) return MakeError(ErrorKind::kParse, "tar header: {} overflows", what);
    v = v << 3 | static_cast<uint64_t>(f[i] - '0');
  }
  return v;
}

bool AllZero(const char* blk) {
  for (size_t i = 0; i < 512; ++i)
    if (blk[i] != 0) return false;
  return true;
}

// Go archive/tar: a header is valid when its checksum field equals the unsigned or the
// signed sum of the block, counting the checksum field itself as spaces.
Status CheckChecksum(const char* blk) {
  VERIFIED_ASSIGN_OR_RETURN(uint64_t want, Numeric(Field(blk, 148, 8), "checksum"));
  int64_t unsigned_sum = 0, signed_sum = 0;
  for (size_t i = 0; i < 512; ++i) {
    bool in_field = i >= 148 && i < 156;
    unsigned char u = in_field ? ' ' : static_cast<unsigned char>(blk[i]);
    signed char s = in_field ? ' ' : static_cast<signed char>(blk[i]);
    unsigned_sum += u;
    signed_sum += s;
  }
  if (static_cast<int64_t>(want) != unsigned_sum && static_cast<int64_t>(want) != signed_sum) {
    return MakeError(ErrorKind::kParse, "tar header checksum mismatch");
  }
  return Ok();
}

enum class Format { kV7, kUstar, kGnu };

Format DetectFormat(const char* blk) {
  auto magic = Field(blk, 257, 6), version = Field(blk, 263, 2);
  if (magic == std::string_view("ustar\0", 6) && version == "00") return Format::kUstar;
  if (magic == "ustar " && version == std::string_view(" \0", 2)) return Format::kGnu;
  return Format::kV7;
}

bool Digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Result<int64_t> DecimalInt(std::string_view v, const char* what) {
  if (!Digits(v) || v.size() > 18) {
    return MakeError(ErrorKind::kParse, "PAX record {}='{}' is not a number", what, v);
  }
  int64_t n = 0;
  for (char c : v) n = n * 10 + (c - '0');
  return n;
}

// Go archive/tar parsePAXTime: "[-]seconds[.fraction]", fraction truncated to nanoseconds.
Status PaxTime(std::string_view v, int64_t& sec, uint32_t& nsec) {
  bool neg = !v.empty() && v[0] == '-';
  if (neg) v.remove_prefix(1);
  auto dot = v.find('.');
  std::string_view whole = v.substr(0, dot);
  std::string_view frac = dot == std::string_view::npos ? "" : v.substr(dot + 1);
  if (!Digits(whole) || whole.size() > 18 || (dot != std::string_view::npos && !Digits(frac))) {
    return MakeError(ErrorKind::kParse, "PAX mtime '{}' is malformed", v);
  }
  int64_t s = 0;
  for (char c : whole) s = s * 10 + (c - '0');
  uint32_t ns = 0;
  for (size_t i = 0; i < 9; ++i)
    ns = ns * 10 + (i < frac.size() ? static_cast<uint32_t>(frac[i] - '0') : 0);
  if (neg) {
    s = -s;
    if (ns > 0) {
      s -= 1;
      ns = 1000000000u - ns;
    }
  }
  sec = s;
  nsec = ns;
  return Ok();
}

}  // namespace

TarStreamParser::TarStreamParser(EntryFn on_entry, bool inline_content, ContentFn on_content)
    : on_entry_(std::move(on_entry)),
      inline_content_(inline_content),
      on_content_(std::move(on_content)) {}

void TarStreamParser::AfterData(uint64_t size) {
  padding_ = (512 - size % 512) % 512;
  state_ = padding_ > 0 ? State::kPadding : State::kHeader;
}

Status TarStreamParser::Feed(const char* data, size_t len) {
  while (len > 0) {
    switch (state_) {
      case State::kEnd:
        // Go's reader stops at the end marker; tar-split keeps whatever follows as raw
        // segments, and it is hashed like every other byte.
        offset_ += len;
        return Ok();
      case State::kPadding: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(padding_, len));
        padding_ -= n;
        data += n;
        len -= n;
        offset_ += n;
        if (padding_ == 0) state_ = State::kHeader;
        break;
      }
      case State::kContent: {
        if (!inline_content_) {
          return MakeError(ErrorKind::kIntegrity,
                           "archive bytes at offset {} are file content but come from the "
                           "tar-split metadata instead of the layer directory",
                           offset_);
        }
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, len));
        if (on_content_) on_content_(data, n);
        remaining_ -= n;
        data += n;
        len -= n;
        offset_ += n;
        if (remaining_ == 0) AfterData(content_size_);
        break;
      }
      case State::kExtData: {
        size_t n = static_cast<size_t>(std::min<uint64_t>(remaining_, len));
        ext_data_.append(data, n);
        remaining_ -= n;
        data += n;
        len -= n;
        offset_ += n;
        if (remaining_ == 0) {
          VERIFIED_RETURN_IF_ERROR(OnExtData());
          AfterData(ext_data_.size());
        }
        break;
      }
      case State::kHeader: {
        size_t n = std::min<size_t>(512 - block_len_, len);
        memcpy(block_ + block_len_, data, n);
        block_len_ += n;
        data += n;
        len -= n;
        offset_ += n;
        if (block_len_ == 512) {
          block_len_ = 0;
          VERIFIED_RETURN_IF_ERROR(OnBlock());
        }
        break;
      }
    }
  }
  return Ok();
}

Status TarStreamParser::SkipContent(uint64_t len) {
  if (state_ != State::kContent || len > remaining_) {
    return MakeError(ErrorKind::kParse,
                     "tar-split supplies {} content bytes where the archive expects {}", len,
                     ContentRemaining());
  }
  remaining_ -= len;
  offset_ += len;
  if (remaining_ == 0) AfterData(content_size_);
  return Ok();
}

Status TarStreamParser::Finish() const {
  // Go's reader also accepts an archive that simply stops at a header boundary.
  bool clean_stop = state_ == State::kHeader && block_len_ == 0 && !entry_started_;
  if (state_ == State::kEnd || clean_stop) return Ok();
  return MakeError(ErrorKind::kParse, "tar stream ends in the middle of an entry (offset {})",
                   offset_);
}

Status TarStreamParser::OnBlock() {
  uint64_t block_offset = offset_ - 512;
  if (AllZero(block_)) {
    if (entry_started_) return MakeError(ErrorKind::kParse, "zero block after an extended header");
    if (++zero_blocks_ == 2) state_ = State::kEnd;
    return Ok();
  }
  if (zero_blocks_ > 0) {
    return MakeError(ErrorKind::kParse, "a lone zero block at offset {}", block_offset - 512);
  }
  VERIFIED_RETURN_IF_ERROR(CheckChecksum(block_));
  if (!entry_started_) {
    entry_started_ = true;
    entry_offset_ = block_offset;
  }
  char type = block_[156];
  if (type == 'x' || type == 'g' || type == 'L' || type == 'K') {
    VERIFIED_ASSIGN_OR_RETURN(uint64_t size, Numeric(Field(block_, 124, 12), "size"));
    if (size > kMaxExtendedHeader) {
      return MakeError(ErrorKind::kTooLarge, "extended tar header of {} bytes", size);
    }
    ext_type_ = type;
    ext_data_.clear();
    memcpy(ext_block_, block_, 512);
    remaining_ = size;
    if (size == 0) {
      VERIFIED_RETURN_IF_ERROR(OnExtData());
      state_ = State::kHeader;
    } else {
      state_ = State::kExtData;
    }
    return Ok();
  }
  return EmitEntry(block_);
}

Status TarStreamParser::OnExtData() {
  switch (ext_type_) {
    case 'L':
      gnu_name_ = CString(ext_data_);
      have_gnu_name_ = true;
      break;
    case 'K':
      gnu_link_ = CString(ext_data_);
      have_gnu_link_ = true;
      break;
    case 'x':
      VERIFIED_RETURN_IF_ERROR(ParsePax(ext_data_, false));
      break;
    case 'g': {
      // Go returns a global header as an entry of its own (tar-split records it as a file
      // entry of size 0); it does not apply to later entries.
      std::vector<std::pair<std::string, std::string>> saved;
      saved.swap(pax_);
      VERIFIED_RETURN_IF_ERROR(ParsePax(ext_data_, true));
      TarEntry e;
      e.type = 'g';
      e.name = CString(Field(ext_block_, 0, 100));
      for (const auto& [k, v] : pax_)
        if (k == "path" && !v.empty()) e.name = v;
      e.offset = entry_offset_;
      pax_.swap(saved);
      entry_started_ = false;
      return on_entry_(e);
    }
  }
  return Ok();
}

// Records are "<len> <key>=<value>\n", <len> counting the whole record (Go parsePAXRecord).
Status TarStreamParser::ParsePax(const std::string& data, bool global) {
  std::string_view s(data);
  if (!global) pax_.clear();
  while (!s.empty()) {
    auto sp = s.find(' ');
    if (sp == std::string_view::npos || sp == 0 || sp > 18) {
      return MakeError(ErrorKind::kParse, "malformed PAX record length");
    }
    VERIFIED_ASSIGN_OR_RETURN(int64_t n, DecimalInt(s.substr(0, sp), "length"));
    if (n < 5 || static_cast<uint64_t>(n) > s.size() || static_cast<uint64_t>(n) <= sp + 1) {
      return MakeError(ErrorKind::kParse, "PAX record length {} out of range", n);
    }
    std::string_view rec = s.substr(sp + 1, static_cast<size_t>(n) - sp - 1);
    s.remove_prefix(static_cast<size_t>(n));
    if (rec.back() != '\n') return MakeError(ErrorKind::kParse, "PAX record not newline-ended");
    rec.remove_suffix(1);
    auto eq = rec.find('=');
    if (eq == std::string_view::npos || eq == 0) {
      return MakeError(ErrorKind::kParse, "PAX record without key=value");
    }
    std::string key(rec.substr(0, eq)), value(rec.substr(eq + 1));
    if (key.rfind("GNU.sparse.", 0) == 0) {
      return MakeError(ErrorKind::kUnsupported, "sparse files (PAX {}) are not supported", key);
    }
    if ((key == "path" || key == "linkpath" || key == "uname" || key == "gname") &&
        value.find('\0') != std::string::npos) {
      return MakeError(ErrorKind::kParse, "PAX {} contains a NUL byte", key);
    }
    // A later record for the same key wins, as in Go's map.
    auto it =
        std::find_if(pax_.begin(), pax_.end(), [&](const auto& kv) { return kv.first == key; });
    if (it != pax_.end()) {
      it->second = std::move(value);
    } else {
      if (pax_.size() >= kMaxXattrs + 16) {
        return MakeError(ErrorKind::kTooLarge, "more than {} PAX records", kMaxXattrs + 16);
      }
      pax_.emplace_back(std::move(key), std::move(value));
    }
  }
  return Ok();
}

Status TarStreamParser::EmitEntry(const char* blk) {
  TarEntry e;
  e.offset = entry_offset_;
  Format fmt = DetectFormat(blk);
  e.name = CString(Field(blk, 0, 100));
  e.linkname = CString(Field(blk, 157, 100));
  VERIFIED_ASSIGN_OR_RETURN(uint64_t mode, Numeric(Field(blk, 100, 8), "mode"));
  VERIFIED_ASSIGN_OR_RETURN(e.uid, Numeric(Field(blk, 108, 8), "uid"));
  VERIFIED_ASSIGN_OR_RETURN(e.gid, Numeric(Field(blk, 116, 8), "gid"));
  VERIFIED_ASSIGN_OR_RETURN(uint64_t size, Numeric(Field(blk, 124, 12), "size"));
  VERIFIED_ASSIGN_OR_RETURN(uint64_t mtime, Numeric(Field(blk, 136, 12), "mtime"));
  e.mode = static_cast<uint32_t>(mode & 07777);
  e.mtime_sec = static_cast<int64_t>(mtime);
  if (fmt != Format::kV7) {
    VERIFIED_ASSIGN_OR_RETURN(uint64_t maj, Numeric(Field(blk, 329, 8), "devmajor"));
    VERIFIED_ASSIGN_OR_RETURN(uint64_t min, Numeric(Field(blk, 337, 8), "devminor"));
    if (maj > UINT32_MAX || min > UINT32_MAX) {
      return MakeError(ErrorKind::kParse, "tar header: device number overflows");
    }
    e.devmajor = static_cast<uint32_t>(maj);
    e.devminor = static_cast<uint32_t>(min);
  }
  if (fmt == Format::kUstar) {
    std::string prefix = CString(Field(blk, 345, 155));
    if (!prefix.empty()) e.name = prefix + "/" + e.name;
  }
  // PAX records override the ustar fields (Go mergePAX); an empty value keeps the original.
  for (const auto& [k, v] : pax_) {
    if (v.empty()) continue;
    if (k == "path") {
      e.name = v;
    } else if (k == "linkpath") {
      e.linkname = v;
    } else if (k == "uid") {
      VERIFIED_ASSIGN_OR_RETURN(int64_t n, DecimalInt(v, "uid"));
      e.uid = static_cast<uint64_t>(n);
    } else if (k == "gid") {
      VERIFIED_ASSIGN_OR_RETURN(int64_t n, DecimalInt(v, "gid"));
      e.gid = static_cast<uint64_t>(n);
    } else if (k == "size") {
      VERIFIED_ASSIGN_OR_RETURN(int64_t n, DecimalInt(v, "size"));
      size = static_cast<uint64_t>(n);
    } else if (k == "mtime") {
      VERIFIED_RETURN_IF_ERROR(PaxTime(v, e.mtime_sec, e.mtime_nsec));
    } else if (k.rfind("SCHILY.xattr.", 0) == 0) {
      if (v.size() > kMaxXattrValue) {
        return MakeError(ErrorKind::kTooLarge, "xattr {} of {} bytes", k, v.size());
      }
      e.xattrs.emplace_back(k.substr(13), v);
    }
  }
  std::sort(e.xattrs.begin(), e.xattrs.end());
  if (have_gnu_name_ && !gnu_name_.empty()) e.name = gnu_name_;
  if (have_gnu_link_ && !gnu_link_.empty()) e.linkname = gnu_link_;
  pax_.clear();
  gnu_name_.clear();
  gnu_link_.clear();
  have_gnu_name_ = have_gnu_link_ = false;
  entry_started_ = false;

  char type = blk[156];
  if (type == '\0') type = (!e.name.empty() && e.name.back() == '/') ? '5' : '0';
  switch (type) {
    case '0':
      break;
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
      // Header-only types: Go reads no content for them whatever the size field says, while
      // tar-split would then splice in a file of that size. No sane layer has this.
      if (size != 0) {
        return MakeError(ErrorKind::kUnsupported, "tar entry '{}' of type '{}' has size {}", e.name,
                         type, size);
      }
      break;
    case 'S':
      return MakeError(ErrorKind::kUnsupported, "GNU sparse file '{}' is not supported", e.name);
    default:
      return MakeError(ErrorKind::kUnsupported, "tar entry '{}' has unsupported type '{}'", e.name,
                       std::string(1, type));
  }
  if (e.name.empty()) return MakeError(ErrorKind::kParse, "tar entry with an empty name");
  if (e.name.size() > kMaxPathBytes || e.linkname.size() > kMaxPathBytes) {
    return MakeError(ErrorKind::kTooLarge, "tar entry name or link longer than {} bytes",
                     kMaxPathBytes);
  }
  if (size > (1ull << 50)) return MakeError(ErrorKind::kTooLarge, "tar entry size {}", size);
  e.type = type;
  e.size = static_cast<int64_t>(size);
  VERIFIED_RETURN_IF_ERROR(on_entry_(e));
  content_size_ = size;
  remaining_ = size;
  if (size > 0) {
    state_ = State::kContent;
  } else {
    state_ = State::kHeader;
  }
  return Ok();
}

}  // namespace verified::content
