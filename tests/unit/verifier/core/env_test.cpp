#include "verifier/core/env.h"

#include <gtest/gtest.h>
#include <stdlib.h>

namespace verified {
namespace {

TEST(EnvOr, ValueWhenSet) {
  setenv("VERIFIED_ENV_TEST", "/x", 1);
  EXPECT_EQ(EnvOr("VERIFIED_ENV_TEST", "fallback"), "/x");
  unsetenv("VERIFIED_ENV_TEST");
}

TEST(EnvOr, FallbackWhenUnsetOrEmpty) {
  unsetenv("VERIFIED_ENV_TEST");
  EXPECT_EQ(EnvOr("VERIFIED_ENV_TEST", "fallback"), "fallback");
  EXPECT_EQ(EnvOr("VERIFIED_ENV_TEST"), "");
  setenv("VERIFIED_ENV_TEST", "", 1);
  EXPECT_EQ(EnvOr("VERIFIED_ENV_TEST", "fallback"), "fallback");
  unsetenv("VERIFIED_ENV_TEST");
}

}  // namespace
}  // namespace verified
