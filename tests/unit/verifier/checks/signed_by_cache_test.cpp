// signed_by through the verification cache: a hit skips only the public-key verification, a
// failure is never cached, and a cache that cannot be read or written is a miss, never a
// failure.
#include <gtest/gtest.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"
#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signed_by.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/verification_cache.h"

namespace verified {
namespace {

using signature::VerificationCache;
using signature::VerificationKey;
using testing::MakeTestImage;
using testing::SignedFixture;
using testing::SignedRecord;
using testing::SimpleSigningPayloadFor;
using testing::TempDir;

const std::string kRepo = "docker.io/signed/app";
const std::string kPolicyDigest = "sha256:" + std::string(64, 'a');
constexpr const char* kFromCache = "from the verification cache";

RequirementPtr Rule(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items())
    reqs.push_back(MakeRequirement(name, value).value());
  auto combined = CombineSignatureRequirements(std::move(reqs));
  EXPECT_TRUE(combined.ok()) << combined.error().What();
  return combined->front();
}

class SignedByCacheTest : public ::testing::Test {
 protected:
  SignedFixture f{{"ci", "release", "other"}};
  testing::TestImage img = MakeTestImage("app");
  ResolvedImage resolved = f.Resolved(img, {kRepo + ":1"});
  TempDir state;

  signature::SignatureRecord Sign(const std::string& key) {
    auto r = SignedRecord(f.signer(key), SimpleSigningPayloadFor(img.manifest_digest, kRepo + ":1"),
                          img.manifest_digest);
    f.Store(r, img.manifest);
    return r;
  }
  std::string Fingerprint(const std::string& key) const {
    return signature::LoadKey(f.config_dir(), key)->fingerprint();
  }
  std::string CacheFile() const { return state / signature::kVerificationCacheFile; }
  Finding Check(const nlohmann::json& require, bool write, const std::string& state_dir = "") {
    RegistrationStore regs(f.config_dir());
    CheckContext ctx{img_ref(),
                     nullptr,
                     false,
                     nullptr,
                     nullptr,
                     regs,
                     kPolicyDigest,
                     VerificationCacheAccess{state_dir.empty() ? state.path() : state_dir, write}};
    return Rule(require)->Check(ctx);
  }
  const ResolvedImage& img_ref() const { return resolved; }
};

TEST_F(SignedByCacheTest, HitSkipsTheVerificationAndAChangedKeySetMisses) {
  // A record key `ci` does not verify (key `other` signed it), with a cache entry saying `ci`
  // verified it under {ci}: only a hit can count it, which proves the verification is skipped.
  auto r = Sign("other");
  VerificationCache c;
  VerificationKey key{
      signature::SignatureRecordId(r), img.manifest_digest, {Fingerprint("ci")}, kPolicyDigest};
  ASSERT_TRUE(c.Add(key, Fingerprint("ci")).ok());
  ASSERT_TRUE(c.Save(state.path()).ok());
  Finding hit = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(hit.outcome, Outcome::kPass) << hit.message;
  EXPECT_NE(hit.message.find(kFromCache), std::string::npos) << hit.message;
  // The chain below the signature is still proven on a hit.
  EXPECT_NE(hit.message.find("names config " + img.image_id), std::string::npos) << hit.message;
  // Another key set (the rule now also names release): a miss, verified again, refused.
  Finding miss = Check({{"signed_by", "ci,release"}}, false);
  EXPECT_EQ(miss.outcome, Outcome::kFail) << miss.message;
  EXPECT_EQ(miss.message.find(kFromCache), std::string::npos) << miss.message;
}

TEST_F(SignedByCacheTest, SuccessIsRecordedByTheWriterAndHitOnTheSameInputs) {
  Sign("ci");
  Finding first = Check({{"signed_by", "ci"}}, true);
  EXPECT_EQ(first.outcome, Outcome::kPass) << first.message;
  EXPECT_EQ(first.message.find(kFromCache), std::string::npos) << first.message;
  // The record's verification and its whole chain (signed_by_chain_cache_test.cpp).
  EXPECT_EQ(VerificationCache::Load(state.path()).size(), 2u);
  Finding second = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(second.outcome, Outcome::kPass) << second.message;
  EXPECT_NE(second.message.find(": counted (verified before: " + std::string(kFromCache)),
            std::string::npos)
      << second.message;
}

TEST_F(SignedByCacheTest, ReadersNeverWrite) {
  Sign("ci");
  EXPECT_EQ(Check({{"signed_by", "ci"}}, false).outcome, Outcome::kPass);
  EXPECT_EQ(access(CacheFile().c_str(), F_OK), -1);
}

TEST_F(SignedByCacheTest, FailureIsNeverCached) {
  Sign("other");
  EXPECT_EQ(Check({{"signed_by", "ci"}}, true).outcome, Outcome::kFail);
  EXPECT_EQ(access(CacheFile().c_str(), F_OK), -1);
  EXPECT_EQ(VerificationCache::Load(state.path()).size(), 0u);
}

TEST_F(SignedByCacheTest, CorruptCacheFileIsAMissSaidInTheFinding) {
  Sign("ci");
  testing::WriteFile(CacheFile(), "verified signature verifications v1\nnot an entry\n", 0600);
  Finding r = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_EQ(r.message.find(kFromCache), std::string::npos) << r.message;
  EXPECT_NE(r.message.find("verification cache ignored"), std::string::npos) << r.message;
  // A corrupt cache denies nothing either: an unverifiable record is still refused.
  Sign("other");
  EXPECT_EQ(Check({{"signed_by", "release"}}, false).outcome, Outcome::kFail);
}

TEST_F(SignedByCacheTest, UnwritableStateDirIsSaidNeverAFailure) {
  Sign("ci");
  testing::WriteFile(state / "file", "x");
  Finding r = Check({{"signed_by", "ci"}}, true, state / "file/state");
  EXPECT_EQ(r.outcome, Outcome::kPass) << r.message;
  EXPECT_NE(r.message.find("verification not cached"), std::string::npos) << r.message;
}

// Keys are parsed only on a miss: a hit is answered by fingerprint, and a key file that is no
// accepted key (another DER in a PEM wrapper) misses by its fingerprint and fails the rule when
// parsed, naming the key; never a pass.
TEST_F(SignedByCacheTest, KeysAreParsedOnlyOnAMissAndABrokenKeyFailsTheRule) {
  Sign("ci");
  ASSERT_EQ(Check({{"signed_by", "ci"}}, true).outcome, Outcome::kPass);
  Finding hit = Check({{"signed_by", "ci"}}, false);
  ASSERT_EQ(hit.outcome, Outcome::kPass) << hit.message;
  EXPECT_NE(hit.message.find(kFromCache), std::string::npos);
  testing::WriteFile(f.config_dir() + "/keys/ci.pub",
                     "-----BEGIN PUBLIC KEY-----\nMAMCAQA=\n-----END PUBLIC KEY-----\n");
  Finding broken = Check({{"signed_by", "ci"}}, true);
  EXPECT_EQ(broken.outcome, Outcome::kFail) << broken.message;
  EXPECT_NE(broken.message.find("trusted key ci: "), std::string::npos) << broken.message;
}

}  // namespace
}  // namespace verified
