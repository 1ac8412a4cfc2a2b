#include "verifier/checks/max_age_days.h"

#include <ctime>

#include "tests/unit/verifier/checks/rule_fixture.h"

namespace verified {
namespace {

using testing::Image;
using testing::RunRule;

std::string DaysBefore(int days) {
  std::time_t t = std::time(nullptr) - static_cast<std::time_t>(days) * 86400 - 60;
  struct tm tm;
  gmtime_r(&t, &tm);
  char buf[64];
  strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S.123456789Z", &tm);
  return buf;
}

ResolvedImage Created(const nlohmann::json& created) {
  ResolvedImage img = Image();
  img.config["created"] = created;
  return img;
}

TEST(MaxAgeDays, ParsesRfc3339) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.999999999-00:30"), 1800);
  EXPECT_EQ(ParseRfc3339("2024-02-29T12:00:00Z"), 1709208000);
  EXPECT_FALSE(ParseRfc3339("2024-02-29"));
  EXPECT_FALSE(ParseRfc3339("2024-13-01T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339("2024-01-01T00:00:00"));
  EXPECT_FALSE(ParseRfc3339("2024-01-01T00:00:00.Z"));
  EXPECT_FALSE(ParseRfc3339("2024-01-01T00:00:00Zjunk"));
}

TEST(MaxAgeDays, AllowsYoungImage) {
  Finding f = RunRule("max_age_days", 30, Created(DaysBefore(3)), nullptr);
  EXPECT_EQ(f.outcome, Outcome::kPass) << f.message;
}

TEST(MaxAgeDays, RefusesOldImage) {
  Finding f = RunRule("max_age_days", 30, Created(DaysBefore(45)), nullptr);
  EXPECT_EQ(f.outcome, Outcome::kFail);
  EXPECT_NE(f.message.find("45 days old"), std::string::npos) << f.message;
  EXPECT_EQ(f.actual, "45 days");
}

TEST(MaxAgeDays, RefusesMissingMalformedOrFutureTimes) {
  ResolvedImage none = Image();
  none.config.erase("created");
  EXPECT_EQ(RunRule("max_age_days", 30, none, nullptr).outcome, Outcome::kFail);
  EXPECT_EQ(RunRule("max_age_days", 30, Created("yesterday"), nullptr).outcome, Outcome::kFail);
  EXPECT_EQ(RunRule("max_age_days", 30, Created(42), nullptr).outcome, Outcome::kFail);
  EXPECT_EQ(RunRule("max_age_days", 30, Created("2999-01-01T00:00:00Z"), nullptr).outcome,
            Outcome::kFail);
}

TEST(MaxAgeDays, ValueValidation) {
  EXPECT_FALSE(MakeRequirement("max_age_days", 0).ok());
  EXPECT_FALSE(MakeRequirement("max_age_days", -1).ok());
  EXPECT_FALSE(MakeRequirement("max_age_days", "30").ok());
  EXPECT_FALSE(MakeRequirement("max_age_days", 1.5).ok());
  EXPECT_TRUE(MakeRequirement("max_age_days", 30).ok());
}

}  // namespace
}  // namespace verified
