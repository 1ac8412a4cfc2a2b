#include "verifier/signedpolicy/go_duration.h"

#include <array>
#include <limits>
#include <utility>

namespace verified::signedpolicy {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

// Go's unitMap (src/time/format.go); the two micro signs are U+00B5 and U+03BC in UTF-8.
constexpr std::array<std::pair<std::string_view, int64_t>, 8> kUnits = {{
    {"ns", 1},
    {"us", 1000},
    {"\xC2\xB5s", 1000},
    {"\xCE\xBCs", 1000},
    {"ms", 1000 * 1000},
    {"s", 1000 * 1000 * 1000},
    {"m", 60LL * 1000 * 1000 * 1000},
    {"h", 3600LL * 1000 * 1000 * 1000},
}};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

Error Invalid(std::string_view text) {
  return MakeError(ErrorKind::kParse,
                   "invalid duration \"{}\" (want Go's form: 720h, 90m, 1h30m, 1.5h)", text);
}

// The number before a unit: integer part (overflow-checked) and the fraction as a value and a
// scale (Go keeps at most the digits that still fit and ignores the rest, as here).
struct Number {
  int64_t whole = 0;
  int64_t frac = 0;
  int64_t scale = 1;
  bool overflow = false;
};

size_t ReadNumber(std::string_view s, size_t i, Number& n) {
  size_t start = i;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    int d = s[i] - '0';
    if (n.whole > (kMax - d) / 10) n.overflow = true;
    if (!n.overflow) n.whole = n.whole * 10 + d;
  }
  bool had_int = i > start;
  bool had_frac = false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    size_t fstart = i;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (n.scale <= kMax / 10 / 10) {
        n.frac = n.frac * 10 + (s[i] - '0');
        n.scale *= 10;
      }
    }
    had_frac = i > fstart;
  }
  return (had_int || had_frac) ? i : std::string_view::npos;
}

}  // namespace

Result<int64_t> ParseGoDuration(std::string_view text) {
  if (text.size() > kMaxDurationText) {
    return MakeError(ErrorKind::kTooLarge, "duration of {} characters exceeds the limit of {}",
                     text.size(), kMaxDurationText);
  }
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return int64_t{0};
  if (s.empty()) return Invalid(text);
  int64_t total = 0;
  size_t i = 0;
  while (i < s.size()) {
    Number n;
    size_t after = ReadNumber(s, i, n);
    if (after == std::string_view::npos) return Invalid(text);
    i = after;
    size_t ustart = i;
    while (i < s.size() && s[i] != '.' && !IsDigit(s[i])) ++i;
    std::string_view unit = s.substr(ustart, i - ustart);
    if (unit.empty()) return Invalid(text);
    int64_t per = 0;
    for (const auto& [name, ns] : kUnits) {
      if (unit == name) per = ns;
    }
    if (per == 0) return Invalid(text);
    if (n.overflow || n.whole > kMax / per) {
      return MakeError(ErrorKind::kTooLarge, "invalid duration \"{}\": too large", text);
    }
    int64_t v = n.whole * per;
    // frac/scale < 1, so frac * (per / scale) cannot overflow once per / scale is taken first
    // in floating point; Go does the same computation in float64.
    v += static_cast<int64_t>(static_cast<double>(n.frac) *
                              (static_cast<double>(per) / static_cast<double>(n.scale)));
    if (v < 0 || total > kMax - v) {
      return MakeError(ErrorKind::kTooLarge, "invalid duration \"{}\": too large", text);
    }
    total += v;
  }
  return negative ? -total : total;
}

}  // namespace verified::signedpolicy
