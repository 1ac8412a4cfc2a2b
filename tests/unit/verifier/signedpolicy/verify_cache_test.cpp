// Every refusal of the signed policy still refuses once the verification cache is warm, and a
// cache that is missing, malformed, untrusted or forged is a miss (full verification).
#include "verifier/signedpolicy/verify_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "unit/verifier/signedpolicy/signed_policy_fixture.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signedpolicy/policy_mark.h"

namespace verified::signedpolicy {
namespace {

class VerifyCacheTest : public SignedPolicyTest {
 protected:
  // Signs version 1 with ops_ and makes the cache warm: the second check is a hit.
  void Warm() {
    Trust(ops_);
    ASSERT_TRUE(Sign(ops_).ok());
    auto first = Check();
    ASSERT_TRUE(first.Accepted()) << first.message;
    EXPECT_FALSE(first.cached);
    auto second = Check();
    ASSERT_TRUE(second.Accepted()) << second.message;
    ASSERT_TRUE(second.cached);
  }
};

TEST(VerifyCacheParse, Strict) {
  std::string d = "sha256:" + std::string(64, 'a');
  auto ok = ParseVerifyCache("v1 " + d + " " + d + " " + d + "\n");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(SerializeVerifyCache(*ok), "v1 " + d + " " + d + " " + d + "\n");
  for (std::string bad :
       {std::string(), "v1 " + d + " " + d + " " + d, "v2 " + d + " " + d + " " + d + "\n",
        "v1 " + d + " " + d + "\n", "v1 " + d + " " + d + " " + d + " " + d + "\n",
        "v1 " + d + "  " + d + " " + d + "\n",
        "v1 " + d + " " + d + " sha256:" + std::string(64, 'A') + "\n"}) {
    EXPECT_FALSE(ParseVerifyCache(bad).ok()) << bad;
  }
  EXPECT_EQ(ParseVerifyCache(std::string(kMaxVerifyCacheBytes + 1, 'x')).error().kind(),
            ErrorKind::kTooLarge);
}

TEST_F(VerifyCacheTest, WrittenOnlyByDecidingChecksWithMode0600) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  EXPECT_TRUE(Check(kNow, /*raise=*/false).Accepted());
  EXPECT_FALSE(ReadVerifyCache(state_).ok()) << "look-only checks never write";
  EXPECT_TRUE(Check().Accepted());
  auto v = ReadVerifyCache(state_);
  ASSERT_TRUE(v.ok()) << v.error().What();
  EXPECT_EQ(v->statement, Sha256Digest(ReadFile(StatementPath(cfg_))));
  EXPECT_EQ(v->key, "sha256:" + ops_.public_key.fingerprint());
  struct stat st;
  ASSERT_EQ(stat(VerifyCachePath(state_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_TRUE(Check(kNow, /*raise=*/false).cached) << "look-only checks may read it";
}

TEST_F(VerifyCacheTest, UnsignedEditAfterWarmCache) {
  Warm();
  WriteFile(cfg_ + "/policy.json", R"({"default":"allow"})");
  auto c = Check();
  EXPECT_TRUE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kUnsignedEdit) << c.message;
  WriteFile(cfg_ + "/policy.json", R"({"default":"deny"})");
  WriteFile(cfg_ + "/images/by-name/b.json", R"({"name":"b"})");
  EXPECT_EQ(Check().refusal, PolicyRefusal::kUnsignedEdit);
}

TEST_F(VerifyCacheTest, EditedStatementOrSignatureAfterWarmCache) {
  Warm();
  std::string statement = ReadFile(StatementPath(cfg_));
  std::string edited = statement;
  edited.replace(edited.find("\"version\": 1"), 12, "\"version\": 9");
  WriteFile(StatementPath(cfg_), edited);
  auto c = Check();
  EXPECT_FALSE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kBadSignature) << c.message;
  WriteFile(StatementPath(cfg_), statement);
  WriteFile(SignaturePath(cfg_), "MEUCIQ==\n");
  EXPECT_EQ(Check().refusal, PolicyRefusal::kBadSignature);
  // Signed by a key that is not trusted: the cache names ops, not evil.
  WriteSigned(StatementFor(evil_, 1), evil_);
  EXPECT_EQ(Check().refusal, PolicyRefusal::kUntrustedKey);
}

TEST_F(VerifyCacheTest, RollbackAfterWarmCache) {
  Warm();
  // Another create accepted version 2 (its cache write failed): the cached version 1 is a
  // rollback although its verification is a hit.
  PolicyMark two{2, "sha256:" + std::string(64, 'c'), {"sha256:" + ops_.public_key.fingerprint()}};
  ASSERT_TRUE(RaiseMark(state_, cfg_, two).ok());
  auto c = Check();
  EXPECT_TRUE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kRollback) << c.message;
}

TEST_F(VerifyCacheTest, ExpiryPassesWithWarmCache) {
  Warm();
  auto c = Check(kNow + 30 * kDay);
  EXPECT_TRUE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kExpired) << c.message;
}

TEST_F(VerifyCacheTest, KeyNoLongerAllowedAfterWarmCache) {
  Warm();
  // The mark now lists only another key: ops may no longer sign, cached or not.
  PolicyMark other{
      2, "sha256:" + std::string(64, 'c'), {"sha256:" + evil_.public_key.fingerprint()}};
  ASSERT_TRUE(RaiseMark(state_, cfg_, other).ok());
  auto c = Check();
  EXPECT_FALSE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kUntrustedKey) << c.message;
}

TEST_F(VerifyCacheTest, TamperedCacheIsAMissNeverAPass) {
  Warm();
  // Garbage, or a record for other bytes: a miss, verified again and rewritten.
  WriteFile(VerifyCachePath(state_), "garbage\n");
  auto c = Check();
  EXPECT_TRUE(c.Accepted()) << c.message;
  EXPECT_FALSE(c.cached);
  EXPECT_TRUE(Check().cached) << "rewritten";
  // A forged record binding an unsigned statement (version 5, never signed) to ops, in a file
  // others could have written: ignored, so the statement is verified and refused.
  std::string forged = StatementFor(ops_, 5);
  WriteFile(StatementPath(cfg_), forged);
  std::string sig = ReadFile(SignaturePath(cfg_));
  sig.pop_back();
  VerifiedSignature lie{Sha256Digest(forged),
                        Sha256Digest(Base64DecodeStrict(sig, "sig", 4096).value()),
                        "sha256:" + ops_.public_key.fingerprint()};
  WriteFile(VerifyCachePath(state_), SerializeVerifyCache(lie));
  ASSERT_EQ(chmod(VerifyCachePath(state_).c_str(), 0666), 0);
  c = Check();
  EXPECT_FALSE(c.cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kBadSignature) << c.message;
  // A symlink in its place is not followed.
  ASSERT_EQ(unlink(VerifyCachePath(state_).c_str()), 0);
  WriteFile(dir_ / "elsewhere", SerializeVerifyCache(lie));
  ASSERT_EQ(symlink((dir_ / "elsewhere").c_str(), VerifyCachePath(state_).c_str()), 0);
  EXPECT_EQ(Check().refusal, PolicyRefusal::kBadSignature);
}

}  // namespace
}  // namespace verified::signedpolicy
