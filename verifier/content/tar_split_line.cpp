// The tar-split JSON line parser (see tar_split.h).
#include <string>
#include <string_view>

#include "verifier/core/base64.h"
#include "verifier/content/limits.h"
#include "verifier/content/tar_split.h"

namespace verified::content {
namespace {

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

}  // namespace verified::content
