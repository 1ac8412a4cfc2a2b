#include "verifier/core/result.h"

#include <gtest/gtest.h>

#include "verifier/core/json.h"

namespace verified {
namespace {

Result<int> Inner(bool fail) {
  if (fail) return MakeError(ErrorKind::kIntegrity, "digest {} differs", "sha256:x");
  return 42;
}

Result<int> Outer(bool fail) {
  VERIFIED_ASSIGN_OR_WRAP(int v, Inner(fail), "layer {}", 3);
  return v + 1;
}

TEST(Result, WrapsContextOutermostFirst) {
  EXPECT_EQ(*Outer(false), 43);
  auto r = Outer(true);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
  EXPECT_EQ(r.error().What(), "layer 3: digest sha256:x differs");
  Error e = Wrap(r.error(), "image {}", "app");
  EXPECT_EQ(e.What(), "image app: layer 3: digest sha256:x differs");
  EXPECT_STREQ(ErrorKindName(ErrorKind::kUnsafePath), "unsafe-path");
}

TEST(Json, DepthLimitAndErrors) {
  EXPECT_TRUE(ParseJson("[[[1]]]", "t").ok());
  EXPECT_EQ(ParseJson(std::string(100, '[') + std::string(100, ']'), "t").error().kind(),
            ErrorKind::kTooLarge);
  // Brackets inside strings do not count.
  EXPECT_TRUE(ParseJson("\"" + std::string(100, '[') + "\"", "t").ok());
  EXPECT_EQ(ParseJson("{", "t").error().kind(), ErrorKind::kParse);
  auto j = *ParseJson(R"({"a":{"b":"c","n":3,"t":true}})", "t");
  EXPECT_EQ(JsonString(j, {"a", "b"}), "c");
  EXPECT_EQ(JsonString(j, {"a", "x"}), "");
  EXPECT_EQ(JsonInt(j, {"a", "n"}), 3);
  EXPECT_TRUE(JsonBool(j, {"a", "t"}));
  EXPECT_FALSE(OptionalString(j["a"], "n", "t").ok());
}

}  // namespace
}  // namespace verified
