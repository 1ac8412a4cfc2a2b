#include "verifier/checks/max_age_days.h"

#include <ctime>

#include "verifier/core/json.h"

namespace verified {
namespace {

constexpr const char* kMaxAgeDaysCheck = "max_age_days";
constexpr int64_t kMaxAgeDay = 86400;
constexpr int64_t kMaxDays = 36500;

bool Digits(std::string_view s, size_t pos, size_t n, int& out) {
  if (pos + n > s.size()) return false;
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

class MaxAgeDays : public Requirement {
 public:
  explicit MaxAgeDays(int64_t days) : days_(days) {}
  std::string Name() const override { return kMaxAgeDaysCheck; }
  nlohmann::json Value() const override { return days_; }

  Finding Check(const CheckContext& ctx) const override {
    const auto* created = JsonAt(ctx.image.config, {"created"});
    if (created == nullptr || !created->is_string()) {
      return Fail(kMaxAgeDaysCheck, "the image config has no creation time",
                  fmt::format("<= {} days", days_), "unknown");
    }
    auto when = ParseRfc3339(created->get<std::string>());
    if (!when) {
      return Fail(kMaxAgeDaysCheck, "the image's creation time '" + created->get<std::string>() +
                                        "' is not an RFC 3339 time");
    }
    int64_t now = static_cast<int64_t>(std::time(nullptr));
    if (*when > now + kMaxAgeDay) {
      return Fail(kMaxAgeDaysCheck, "the image claims to be created in the future (" +
                                        created->get<std::string>() + ")");
    }
    int64_t age_days = (now - *when) / kMaxAgeDay;
    if (age_days > days_) {
      return Fail(kMaxAgeDaysCheck,
                  fmt::format("the image is {} days old (created {}), more than the {} allowed; "
                              "rebuild it",
                              age_days, created->get<std::string>(), days_),
                  fmt::format("<= {} days", days_), fmt::format("{} days", age_days));
    }
    return Pass(kMaxAgeDaysCheck,
                fmt::format("the image is {} days old (at most {})", age_days, days_));
  }

 private:
  int64_t days_;
};

}  // namespace

std::optional<int64_t> ParseRfc3339(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)
  int y, mo, d, h, mi, sec;
  if (!Digits(s, 0, 4, y) || s.size() < 20 || s[4] != '-' || !Digits(s, 5, 2, mo) || s[7] != '-' ||
      !Digits(s, 8, 2, d) || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
      !Digits(s, 11, 2, h) || s[13] != ':' || !Digits(s, 14, 2, mi) || s[16] != ':' ||
      !Digits(s, 17, 2, sec)) {
    return std::nullopt;
  }
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60) return std::nullopt;
  size_t pos = 19;
  if (pos < s.size() && s[pos] == '.') {
    size_t start = ++pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (!Digits(s, pos + 1, 2, oh) || pos + 3 >= s.size() || s[pos + 3] != ':' ||
        !Digits(s, pos + 4, 2, om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset = (s[pos] == '+' ? 1 : -1) * (oh * 3600 + om * 60);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  struct tm tm = {};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = sec;
  return static_cast<int64_t>(timegm(&tm)) - offset;
}

Result<RequirementPtr> MakeMaxAgeDays(const nlohmann::json& value) {
  if (!value.is_number_integer() || value.get<int64_t>() < 1 || value.get<int64_t>() > kMaxDays) {
    return MakeError(ErrorKind::kInvalidArgument, "value must be a number of days from 1 to {}",
                     kMaxDays);
  }
  return RequirementPtr(std::make_shared<MaxAgeDays>(value.get<int64_t>()));
}

}  // namespace verified
