#include "verifier/signedpolicy/go_duration.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace verified::signedpolicy {
namespace {

constexpr int64_t kS = 1000LL * 1000 * 1000;

TEST(GoDuration, ParsesGoSpellings) {
  std::vector<std::pair<std::string, int64_t>> cases = {
      {"0", 0},
      {"720h", 720 * 3600 * kS},
      {"90m", 90 * 60 * kS},
      {"1h30m", 5400 * kS},
      {"1.5h", 5400 * kS},
      {".5s", kS / 2},
      {"1.s", kS},
      {"300ms", 300 * 1000 * 1000},
      {"1us", 1000},
      {"1\xC2\xB5s", 1000},
      {"1\xCE\xBCs", 1000},
      {"7ns", 7},
      {"+2s", 2 * kS},
      {"-2s", -2 * kS},
      {"1h0m0s", 3600 * kS},
      {"2562047h", 2562047LL * 3600 * kS},
  };
  for (const auto& [text, want] : cases) {
    auto d = ParseGoDuration(text);
    ASSERT_TRUE(d.ok()) << text << ": " << d.error().What();
    EXPECT_EQ(*d, want) << text;
  }
}

TEST(GoDuration, RefusesWhatGoRefuses) {
  for (const std::string bad : {"", "h", "1", "-", "+", "1x", "1 h", ".h", "1hh", "1h 2m", "1d",
                                "1.5.5h", "0x10s", "1H", "1m-2s"}) {
    auto d = ParseGoDuration(bad);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().kind(), ErrorKind::kParse) << bad;
  }
}

TEST(GoDuration, OverflowAndLengthAreTooLarge) {
  for (const std::string& big :
       std::vector<std::string>{"2562048h", "9223372036854775808ns", "99999999999999999999h",
                                "2562047h2562047h", std::string(65, '1') + "s"}) {
    auto d = ParseGoDuration(big);
    ASSERT_FALSE(d.ok()) << big;
    EXPECT_EQ(d.error().kind(), ErrorKind::kTooLarge) << big;
  }
}

}  // namespace
}  // namespace verified::signedpolicy
