#include "verifier/core/base64.h"

#include <gtest/gtest.h>

#include <vector>

namespace verified {
namespace {

TEST(Base64, RoundTrips) {
  for (const std::string& s : std::vector<std::string>{"f", "fo", "foo", "foob", "fooba", "foobar",
                                                       std::string("\0\xff", 2)}) {
    auto d = Base64DecodeStrict(Base64Encode(s), "t", 100);
    ASSERT_TRUE(d.ok()) << s;
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
}

TEST(Base64, RefusesEveryOtherSpelling) {
  for (const char* bad : {"", "Zm8", "Zm9=v", "Zm9", "Zg", "Zm 8=", "Zm8=\n",
                          "Zh==", "Zm9=", "Z===", "====", "Zm-_", "Zg==Zg=="}) {
    auto d = Base64DecodeStrict(bad, "sig", 100);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().kind(), ErrorKind::kParse) << bad;
    EXPECT_EQ(d.error().What().rfind("sig: ", 0), 0u) << d.error().What();
  }
  // "Zh==" and "Zm9=" decode to "f" / "fo" in lenient decoders: non-zero unused bits.
  EXPECT_NE(Base64DecodeStrict("Zh==", "sig", 100).error().What().find("non-canonical"),
            std::string::npos);
}

TEST(Base64, SizeLimit) {
  auto d = Base64DecodeStrict("Zm9vYmFy", "sig", 4);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind(), ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified
