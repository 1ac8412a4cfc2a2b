#include "verifier/core/go_json_keys.h"

#include <optional>
#include <unordered_map>
#include <vector>

namespace verified {
namespace {

// The two non-ASCII runes whose simple case-fold orbit holds an ASCII letter (Unicode's
// CaseFolding.txt; Go's unicode tables). Go 1.19's encoding/json, which Debian 12's runc 1.1.5
// is built with, names exactly these in src/encoding/json/fold.go (`kelvin = '\u212a'`,
// `smallLongEss = '\u017f'`, used by equalFoldRight for field names holding k or s). Go 1.21+
// folds keys with unicode.SimpleFold (foldName in the same file): against the OCI spec's
// all-ASCII field names that is the same relation, so this fold fits both.
constexpr std::string_view kKelvin = "\xE2\x84\xAA";  // U+212A KELVIN SIGN
constexpr std::string_view kLongS = "\xC5\xBF";       // U+017F LATIN SMALL LETTER LONG S
constexpr std::string_view kNul = std::string_view("\0", 1);

// Length of the UTF-8 sequence starting with `lead` (1 for ASCII and stray bytes).
size_t Utf8Length(unsigned char lead) {
  if (lead >= 0xF0 && lead < 0xF8) return 4;
  if (lead >= 0xE0) return lead < 0xF0 ? 3 : 1;
  if (lead >= 0xC0) return 2;
  return 1;
}

uint32_t DecodeRune(std::string_view s, size_t n) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[i])); };
  if (n == 2) return ((b(0) & 0x1F) << 6) | (b(1) & 0x3F);
  if (n == 3) return ((b(0) & 0x0F) << 12) | ((b(1) & 0x3F) << 6) | (b(2) & 0x3F);
  return ((b(0) & 0x07) << 18) | ((b(1) & 0x3F) << 12) | ((b(2) & 0x3F) << 6) | (b(3) & 0x3F);
}

// One JSON pointer segment (RFC 6901 escapes), rendered safely for a message.
std::string PointerSegment(std::string_view key) {
  std::string out;
  for (char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  std::string quoted = QuoteJsonKey(out);
  return quoted.substr(1, quoted.size() - 2);  // without the quotes
}

std::string Where(const std::string& pointer) {
  return pointer.empty() ? std::string("the top-level object") : "object at " + pointer;
}

struct Frame {
  bool object = false;
  std::string pointer;
  std::string last_key;
  size_t next_index = 0;
  std::unordered_map<std::string, std::string> folded;  // GoFoldKey -> the key as written
};

// Driven by the events of nlohmann's DOM parser (its parser callback), so the document is
// lexed once: one frame per open object or array. Each key is checked against the earlier
// keys of its own object only, so arrays of objects are checked element by element.
class KeyChecker {
 public:
  using json = nlohmann::json;

  KeyChecker(std::string_view what, size_t max_depth) : what_(what), max_depth_(max_depth) {}

  std::optional<Error>& error() { return error_; }

  /// One parser event; false once the document is refused.
  bool Event(json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        return Open(true);
      case json::parse_event_t::array_start:
        return Open(false);
      case json::parse_event_t::object_end:
      case json::parse_event_t::array_end:
        return Close();
      case json::parse_event_t::key:
        return key(parsed.get_ref<json::string_t&>());
      case json::parse_event_t::value:
        return parsed.is_string() ? string(parsed.get_ref<json::string_t&>()) : Scalar();
    }
    return true;
  }

 private:
  bool string(json::string_t& s) {
    if (s.find(kNul) == std::string::npos) return Scalar();
    return Fail(ErrorKind::kParse,
                fmt::format("{}: string at {} contains a NUL character (\\u0000), which Go keeps "
                            "and C cuts: refused",
                            what_, PointerOr(NextPointer(), "the top level")));
  }
  bool key(json::string_t& k) {
    Frame& f = stack_.back();
    if (k.find(kNul) != std::string::npos) {
      return Fail(ErrorKind::kParse,
                  fmt::format("{}: {} has a key containing a NUL character (\\u0000): refused",
                              what_, Where(f.pointer)));
    }
    auto [it, inserted] = f.folded.emplace(GoFoldKey(k), k);
    if (!inserted) {
      if (it->second == k) {
        return Fail(ErrorKind::kParse,
                    fmt::format("{}: {} has key {} twice (runc's decoder lets the later one "
                                "win): refused",
                                what_, Where(f.pointer), QuoteJsonKey(k)));
      }
      return Fail(ErrorKind::kParse,
                  fmt::format("{}: {} has keys {} and {} that runc's decoder treats as one (a "
                              "later one would win): refused",
                              what_, Where(f.pointer), QuoteJsonKey(it->second), QuoteJsonKey(k)));
    }
    f.last_key = k;
    return true;
  }
  static std::string PointerOr(const std::string& p, const char* top) {
    return p.empty() ? std::string(top) : p;
  }

  // The pointer of the value now starting; advances the enclosing array's index.
  std::string NextPointer() {
    if (stack_.empty()) return std::string();
    Frame& f = stack_.back();
    if (f.object) return f.pointer + "/" + PointerSegment(f.last_key);
    return f.pointer + "/" + std::to_string(f.next_index++);
  }

  bool Scalar() {
    if (!stack_.empty() && !stack_.back().object) ++stack_.back().next_index;
    return true;
  }

  bool Open(bool object) {
    if (stack_.size() >= max_depth_) {
      return Fail(ErrorKind::kTooLarge,
                  fmt::format("{}: JSON nested deeper than {} levels", what_, max_depth_));
    }
    Frame f;
    f.object = object;
    f.pointer = NextPointer();
    stack_.push_back(std::move(f));
    return true;
  }

  bool Close() {
    if (!stack_.empty()) stack_.pop_back();
    return true;
  }

  bool Fail(ErrorKind kind, std::string message) {
    if (!error_) error_.emplace(kind, std::move(message));
    return false;
  }

  std::string what_;
  size_t max_depth_;
  std::vector<Frame> stack_;
  std::optional<Error> error_;
};

}  // namespace

std::string GoFoldKey(std::string_view key) {
  std::string out;
  out.reserve(key.size());
  for (size_t i = 0; i < key.size();) {
    char c = key[i];
    if (c >= 'A' && c <= 'Z') {
      out += static_cast<char>(c - 'A' + 'a');
      ++i;
    } else if (key.substr(i, kKelvin.size()) == kKelvin) {
      out += 'k';
      i += kKelvin.size();
    } else if (key.substr(i, kLongS.size()) == kLongS) {
      out += 's';
      i += kLongS.size();
    } else {
      out += c;
      ++i;
    }
  }
  return out;
}

std::string QuoteJsonKey(std::string_view s, size_t max_chars) {
  std::string out = "\"";
  size_t chars = 0;
  for (size_t i = 0; i < s.size(); ++chars) {
    if (chars == max_chars) {
      out += "...";
      break;
    }
    auto c = static_cast<unsigned char>(s[i]);
    size_t n = Utf8Length(c);
    if (c >= 0x80 && n > 1 && i + n <= s.size()) {
      out += fmt::format("\\u{:04X}", DecodeRune(s.substr(i, n), n));
      i += n;
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7F) {
      out += fmt::format("\\u{:04X}", c);
    } else if (c >= 0x80) {
      out += fmt::format("\\x{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
    ++i;
  }
  return out + "\"";
}

Result<nlohmann::json> ParseJsonAsGo(std::string_view text, std::string_view what,
                                     size_t max_depth) {
  struct Refused {};  // thrown from the callback: stops the parser at the first refusal
  KeyChecker checker(what, max_depth);
  try {
    return nlohmann::json::parse(text.begin(), text.end(),
                                 [&](int, nlohmann::json::parse_event_t e, nlohmann::json& j) {
                                   if (!checker.Event(e, j)) throw Refused{};
                                   return true;
                                 });
  } catch (const Refused&) {
    return std::move(*checker.error());
  } catch (const nlohmann::json::exception& e) {
    return MakeError(ErrorKind::kParse, "{}: malformed JSON: {}", what, e.what());
  }
}

Status CheckGoJsonKeys(std::string_view text, std::string_view what, size_t max_depth) {
  auto parsed = ParseJsonAsGo(text, what, max_depth);
  if (!parsed.ok()) return std::move(parsed).error();
  return Ok();
}

}  // namespace verified
