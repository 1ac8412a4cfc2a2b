#include "shim/logrus_format.h"

#include <fmt/format.h>

#include <ctime>

namespace verified::logging {
namespace {

constexpr char32_t kInvalid = 0xFFFFFFFF;

// One code point from the front of `s` as Go's utf8.DecodeRuneInString reads it: overlong
// forms, surrogates and values above U+10FFFF are invalid, and an invalid sequence consumes one
// byte. Returns the code point (kInvalid) and sets `len`.
char32_t DecodeRune(std::string_view s, size_t& len) {
  auto b = [&](size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = b(0);
  len = 1;
  if (c < 0x80) return c;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || s.size() < n) return kInvalid;
  char32_t r = c & (0x7F >> n);
  for (size_t i = 1; i < n; ++i) {
    if ((b(i) & 0xC0) != 0x80) return kInvalid;
    r = (r << 6) | (b(i) & 0x3F);
  }
  bool overlong = (n == 3 && r < 0x800) || (n == 4 && r < 0x10000);
  if (overlong || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return kInvalid;
  len = n;
  return r;
}

// Go's unicode.IsPrint is false for these non-ASCII code points: controls (Cc), format (Cf),
// separators other than ASCII space (Zs, Zl, Zp) and private use (Co). strconv.Quote escapes
// them, which keeps a line separator or a bidi override from reshaping what an admin reads.
bool IsNonPrinting(char32_t r) {
  static constexpr std::pair<char32_t, char32_t> kRanges[] = {
      {0x80, 0xA0},        {0xAD, 0xAD},       {0x600, 0x605},     {0x61C, 0x61C},
      {0x6DD, 0x6DD},      {0x70F, 0x70F},     {0x1680, 0x1680},   {0x180E, 0x180E},
      {0x2000, 0x200F},    {0x2028, 0x202F},   {0x205F, 0x2064},   {0x2066, 0x206F},
      {0x3000, 0x3000},    {0xE000, 0xF8FF},   {0xFEFF, 0xFEFF},   {0xFFF9, 0xFFFB},
      {0x110BD, 0x110BD},  {0x1D173, 0x1D17A}, {0xE0001, 0xE0001}, {0xE0020, 0xE007F},
      {0xF0000, 0x10FFFF},
  };
  for (const auto& [lo, hi] : kRanges) {
    if (r >= lo && r <= hi) return true;
  }
  return false;
}

// logrus text_formatter.go needsQuoting (no ForceQuote, no QuoteEmptyFields).
bool NeedsQuoting(std::string_view s) {
  for (char c : s) {
    bool bare = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-' || c == '.' || c == '_' || c == '/' || c == '@' || c == '^' || c == '+';
    if (!bare) return true;
  }
  return false;
}

std::string TextValue(std::string_view s) { return NeedsQuoting(s) ? GoQuote(s) : std::string(s); }

}  // namespace

LogFormat ParseLogFormat(std::string_view value) {
  return value == "json" ? LogFormat::kJson : LogFormat::kText;
}

const char* LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      break;
  }
  return "error";
}

std::string Rfc3339Nano(std::chrono::system_clock::time_point t) {
  auto secs = std::chrono::floor<std::chrono::seconds>(t);
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(t - secs).count();
  std::time_t tt = std::chrono::system_clock::to_time_t(secs);
  struct tm tm;
  gmtime_r(&tt, &tm);
  char buf[32];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:09d}Z", buf, nanos);
}

std::string GoJsonQuote(std::string_view s) {
  // Go encoding/json encode.go appendString (Go 1.22+ writes \b and \f short).
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 1;
    char32_t r = DecodeRune(s.substr(i), len);
    switch (r) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '<':
      case '>':
      case '&':
      case 0x2028:
      case 0x2029:
        out += fmt::format("\\u{:04x}", static_cast<uint32_t>(r));
        break;
      case kInvalid:
        out += "\\ufffd";
        break;
      default:
        if (r < 0x20) {
          out += fmt::format("\\u{:04x}", static_cast<uint32_t>(r));
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  return out + "\"";
}

std::string GoQuote(std::string_view s) {
  // Go strconv/quote.go appendQuotedWith / appendEscapedRune.
  std::string out = "\"";
  size_t i = 0;
  while (i < s.size()) {
    size_t len = 1;
    char32_t r = DecodeRune(s.substr(i), len);
    static constexpr std::pair<char32_t, const char*> kShort[] = {
        {'"', "\\\""}, {'\\', "\\\\"}, {'\a', "\\a"}, {'\b', "\\b"}, {'\f', "\\f"},
        {'\n', "\\n"}, {'\r', "\\r"},  {'\t', "\\t"}, {'\v', "\\v"},
    };
    const char* short_form = nullptr;
    for (const auto& [c, esc] : kShort) {
      if (r == c) short_form = esc;
    }
    if (short_form != nullptr) {
      out += short_form;
    } else if (r == kInvalid || r < 0x20 || r == 0x7F) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(s[i]));
    } else if (r >= 0x80 && IsNonPrinting(r)) {
      out += r < 0x10000 ? fmt::format("\\u{:04x}", static_cast<uint32_t>(r))
                         : fmt::format("\\U{:08x}", static_cast<uint32_t>(r));
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
  return out + "\"";
}

std::string FormatLogrusLine(LogLevel level, std::string_view msg,
                             std::chrono::system_clock::time_point t, LogFormat format) {
  std::string time = Rfc3339Nano(t);
  if (format == LogFormat::kJson) {
    return fmt::format("{{\"level\":\"{}\",\"msg\":{},\"time\":\"{}\"}}\n", LevelName(level),
                       GoJsonQuote(msg), time);
  }
  return fmt::format("time={} level={} msg={}\n", TextValue(time), LevelName(level),
                     TextValue(msg));
}

}  // namespace verified::logging
