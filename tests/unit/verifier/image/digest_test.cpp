#include "verifier/image/digest.h"

#include <gtest/gtest.h>

#include "verifier/crypto/sha256.h"

namespace verified {
namespace {

TEST(Digest, ValidatesSha256Digests) {
  EXPECT_TRUE(IsSha256Digest("sha256:" + std::string(64, 'a')));
  EXPECT_FALSE(IsSha256Digest("sha256:" + std::string(63, 'a')));
  EXPECT_FALSE(IsSha256Digest("sha256:" + std::string(64, 'A')));
  EXPECT_FALSE(IsSha256Digest("sha512:" + std::string(64, 'a')));
  EXPECT_FALSE(ParseDigest("nope", "x").ok());
}

TEST(Digest, ChainIdsFollowTheOciFormula) {
  std::string a = "sha256:" + std::string(64, 'a');
  std::string b = "sha256:" + std::string(64, 'b');
  std::string c = "sha256:" + std::string(64, 'c');
  auto chain = ChainIds({a, b, c});
  ASSERT_EQ(chain.size(), 3u);
  EXPECT_EQ(chain[0], a);
  EXPECT_EQ(chain[1], Sha256Digest(a + " " + b));
  EXPECT_EQ(chain[2], Sha256Digest(chain[1] + " " + c));
  EXPECT_TRUE(ChainIds({}).empty());
}

TEST(Sha256, KnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

}  // namespace
}  // namespace verified
