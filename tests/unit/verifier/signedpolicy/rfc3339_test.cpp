#include "verifier/signedpolicy/rfc3339.h"

#include <gtest/gtest.h>

#include <string>

namespace verified::signedpolicy {
namespace {

TEST(Rfc3339, ParsesUtcOffsetsAndFractions) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z").value(), 0);
  EXPECT_EQ(ParseRfc3339("2027-01-01T00:00:00Z").value(), 1798761600);
  EXPECT_EQ(ParseRfc3339("2027-01-01T01:00:00+01:00").value(), 1798761600);
  EXPECT_EQ(ParseRfc3339("2026-12-31T19:00:00-05:00").value(), 1798761600);
  EXPECT_EQ(ParseRfc3339("2027-01-01T00:00:00.999999999Z").value(), 1798761600);
  EXPECT_EQ(ParseRfc3339("2024-02-29T12:00:00Z").value(), 1709208000);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59Z").value(), 253402300799);
}

TEST(Rfc3339, RefusesNonRfc3339) {
  for (const std::string bad :
       {"", "2027-01-01", "2027-01-01 00:00:00Z", "2027-01-01t00:00:00Z", "2027-01-01T00:00:00z",
        "2027-01-01T00:00:00", "2027-13-01T00:00:00Z", "2027-02-29T00:00:00Z",
        "2027-04-31T00:00:00Z", "2027-01-01T24:00:00Z", "2027-01-01T00:60:00Z",
        "2027-01-01T00:00:60Z", "2027-01-01T00:00:00.Z", "2027-01-01T00:00:00+0100",
        "2027-01-01T00:00:00Zjunk", "1969-12-31T23:59:59Z", "1970-01-01T00:00:00+00:01",
        "+2027-01-01T00:00:00Z", "2027-1-01T00:00:00Z"}) {
    auto t = ParseRfc3339(bad);
    EXPECT_FALSE(t.ok()) << bad;
  }
  EXPECT_EQ(ParseRfc3339(std::string(65, '1')).error().kind(), ErrorKind::kTooLarge);
}

TEST(Rfc3339, FormatRoundTrips) {
  for (int64_t t : {int64_t{0}, int64_t{951782400}, int64_t{1709208000}, int64_t{1798761599},
                    int64_t{253402300799}}) {
    EXPECT_EQ(ParseRfc3339(FormatRfc3339(t)).value(), t) << FormatRfc3339(t);
  }
  EXPECT_EQ(FormatRfc3339(1798761600), "2027-01-01T00:00:00Z");
}

}  // namespace
}  // namespace verified::signedpolicy
