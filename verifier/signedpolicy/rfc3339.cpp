#include "verifier/signedpolicy/rfc3339.h"

#include <fmt/format.h>

namespace verified::signedpolicy {
namespace {

// Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil algorithm).
int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

bool Leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int64_t DaysInMonth(int64_t y, int64_t m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && Leap(y) ? 29 : kDays[m - 1];
}

// Reads `n` digits at s[i..]; -1 when they are not all digits.
int64_t Digits(std::string_view s, size_t i, size_t n) {
  if (i + n > s.size()) return -1;
  int64_t v = 0;
  for (size_t k = i; k < i + n; ++k) {
    if (s[k] < '0' || s[k] > '9') return -1;
    v = v * 10 + (s[k] - '0');
  }
  return v;
}

bool At(std::string_view s, size_t i, char c) { return i < s.size() && s[i] == c; }

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  if (text.size() > 64) {
    return MakeError(ErrorKind::kTooLarge, "time of {} characters exceeds the limit of 64",
                     text.size());
  }
  auto bad = [&] {
    return MakeError(ErrorKind::kParse,
                     "\"{}\" is not an RFC 3339 time (want 2027-01-01T00:00:00Z)", text);
  };
  int64_t y = Digits(text, 0, 4), mo = Digits(text, 5, 2), d = Digits(text, 8, 2);
  int64_t h = Digits(text, 11, 2), mi = Digits(text, 14, 2), sec = Digits(text, 17, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0 || !At(text, 4, '-') ||
      !At(text, 7, '-') || !At(text, 10, 'T') || !At(text, 13, ':') || !At(text, 16, ':')) {
    return bad();
  }
  if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 || mi > 59 ||
      sec > 59) {
    return bad();
  }
  size_t i = 19;
  if (At(text, i, '.')) {
    size_t start = ++i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == start) return bad();
  }
  int64_t offset = 0;
  if (At(text, i, 'Z')) {
    ++i;
  } else if (At(text, i, '+') || At(text, i, '-')) {
    int64_t oh = Digits(text, i + 1, 2), om = Digits(text, i + 4, 2);
    if (oh < 0 || om < 0 || !At(text, i + 3, ':') || oh > 23 || om > 59) return bad();
    offset = (oh * 60 + om) * 60 * (text[i] == '-' ? -1 : 1);
    i += 6;
  } else {
    return bad();
  }
  if (i != text.size()) return bad();
  int64_t t = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - offset;
  if (t < 0) return bad();
  return t;
}

std::string FormatRfc3339(int64_t t) {
  // civil_from_days (Howard Hinnant), the inverse of DaysFromCivil.
  int64_t days = t / 86400, rem = t % 86400;
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp + (mp < 10 ? 3 : -9);
  y += m <= 2;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", y, m, d, rem / 3600, rem % 3600 / 60,
                     rem % 60);
}

}  // namespace verified::signedpolicy
