#include "verifier/signature/strict_base64.h"

#include <gtest/gtest.h>

#include <vector>

namespace verified::signature {
namespace {

TEST(StrictBase64, RoundTrips) {
  for (const std::string& s : std::vector<std::string>{"f", "fo", "foo", "foob", "fooba", "foobar",
                                                       std::string("\0\xff", 2)}) {
    auto d = DecodeBase64Strict(EncodeBase64(s), "t", 100);
    ASSERT_TRUE(d.ok()) << s;
    EXPECT_EQ(*d, s);
  }
  EXPECT_EQ(EncodeBase64("foobar"), "Zm9vYmFy");
  EXPECT_EQ(EncodeBase64("fo"), "Zm8=");
}

TEST(StrictBase64, RefusesEveryOtherSpelling) {
  for (const char* bad : {"", "Zm8", "Zm9=v", "Zm9", "Zg", "Zm 8=", "Zm8=\n",
                          "Zh==", "Zm9=", "Z===", "====", "Zm-_", "Zg==Zg=="}) {
    auto d = DecodeBase64Strict(bad, "sig", 100);
    ASSERT_FALSE(d.ok()) << bad;
    EXPECT_EQ(d.error().kind(), ErrorKind::kParse) << bad;
    EXPECT_EQ(d.error().What().rfind("sig: ", 0), 0u) << d.error().What();
  }
  // "Zh==" and "Zm9=" decode to "f" / "fo" in lenient decoders: non-zero unused bits.
  EXPECT_NE(DecodeBase64Strict("Zh==", "sig", 100).error().What().find("non-canonical"),
            std::string::npos);
}

TEST(StrictBase64, SizeLimit) {
  auto d = DecodeBase64Strict("Zm9vYmFy", "sig", 4);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.error().kind(), ErrorKind::kTooLarge);
}

}  // namespace
}  // namespace verified::signature
