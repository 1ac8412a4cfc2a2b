// The attestations requirement through the attestation cache: a create records what it
// verified, the next decision skips the DSSE verification and the predicate parse, and nothing
// a hit does not vouch for (a rewritten or replaced bundle file, another key set, another
// policy, a new attestation) is masked by it; a cache file that is damaged or untrusted is a
// miss, never an allow; a failure is never cached.
#include <gtest/gtest.h>
#include <unistd.h>

#include <thread>

#include "unit/support/temp_dir.h"
#include "unit/verifier/attestation/attestation_test_util.h"
#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/attestation/attestation_cache.h"
#include "verifier/attestation/attestation_store.h"
#include "verifier/checks/attested.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signature_requirements.h"
#include "verifier/crypto/sha256.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signature/key_dir.h"

namespace verified {
namespace {

using attestation::AttestationCache;
using testing::AttestationBundle;
using testing::DaysAgo;
using testing::MakeTestImage;
using testing::SignedFixture;
using testing::StatementFor;
using testing::TempDir;

const std::string kPolicyDigest = "sha256:" + std::string(64, 'a');
constexpr const char* kFromCache = "from the attestation cache";
const nlohmann::json kRule = {{"signed_by", "ci"}, {"vulnerabilities", "critical:0"}};

RequirementPtr Rule(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items()) {
    reqs.push_back(MakeRequirement(name, value).value());
  }
  reqs = CombineSignatureRequirements(std::move(reqs)).value();
  reqs = CombineAttestationRequirements(std::move(reqs)).value();
  for (const auto& r : reqs) {
    if (AttestationRuleOf(*r) != nullptr) return r;
  }
  ADD_FAILURE() << "no attestation requirement";
  return nullptr;
}

// A file changed less than kRacyNs ago is not cached (attestation_cache.h).
void PastRacy() {
  std::this_thread::sleep_for(std::chrono::nanoseconds(signedpolicy::kRacyNs) +
                              std::chrono::milliseconds(20));
}

class AttestedCacheTest : public ::testing::Test {
 protected:
  SignedFixture f{{"ci", "other"}};
  testing::TestImage img = MakeTestImage("app");
  ResolvedImage resolved = f.Resolved(img, {"docker.io/acme/app:1"});
  TempDir state;

  std::string Bundle(const std::string& key,
                     const std::vector<std::pair<std::string, std::string>>& vulns,
                     int days_ago = 1) {
    return AttestationBundle(
        f.signer(key),
        StatementFor(img.manifest_digest, std::string(attestation::kVulnPredicateType),
                     testing::VulnPredicate(DaysAgo(days_ago), vulns)));
  }
  // Stores a scan and returns its file's path.
  std::string Scan(const std::string& key,
                   const std::vector<std::pair<std::string, std::string>>& vulns,
                   int days_ago = 1) {
    std::string bundle = Bundle(key, vulns, days_ago);
    EXPECT_TRUE(
        attestation::StoreAttestation(f.config_dir(), img.manifest_digest, bundle, img.manifest)
            .ok());
    return f.config_dir() + "/attestations/sha256-" + img.manifest_digest.substr(7) + "/" +
           Sha256Hex(bundle) + ".json";
  }
  Finding Check(bool write, const nlohmann::json& require = kRule,
                const std::string& policy = kPolicyDigest) {
    RegistrationStore regs(f.config_dir());
    CheckContext ctx{resolved, nullptr, false,  nullptr,
                     nullptr,  regs,    policy, VerificationCacheAccess{state.path(), write}};
    return Rule(require)->Check(ctx);
  }
  std::string CacheFile() const { return state / attestation::kAttestationCacheFile; }
  size_t Cached() const { return AttestationCache::Load(state.path()).size(); }
};

bool FromCache(const Finding& f) { return f.message.find(kFromCache) != std::string::npos; }

TEST_F(AttestedCacheTest, ACreateRecordsAndTheNextDecisionHits) {
  Scan("ci", {{"CVE-2026-0002", "HIGH"}});
  PastRacy();
  Finding first = Check(true);
  EXPECT_EQ(first.outcome, Outcome::kPass) << first.message;
  EXPECT_FALSE(FromCache(first)) << first.message;
  EXPECT_EQ(Cached(), 1u);
  Finding second = Check(false);
  EXPECT_EQ(second.outcome, Outcome::kPass) << second.message;
  EXPECT_TRUE(FromCache(second)) << second.message;
  // The same finding, but for the cache's mention.
  std::string plain = second.message;
  plain.erase(plain.find(" (verified before: "),
              std::string(" (verified before: ").size() + std::string(kFromCache).size() + 1);
  EXPECT_EQ(plain, first.message);
  // The cached summary feeds the verdict: a stricter rule refuses from it, with the IDs.
  Finding strict = Check(false, {{"signed_by", "ci"}, {"vulnerabilities", "high:0"}});
  EXPECT_EQ(strict.outcome, Outcome::kFail);
  EXPECT_NE(strict.message.find("1 high over the limit of 0: CVE-2026-0002"), std::string::npos)
      << strict.message;
}

TEST_F(AttestedCacheTest, AHitSkipsTheVerification) {
  // A file only `other` signed, cached as verified by `ci`: only a hit can count it.
  std::string path = Scan("other", {});
  PastRacy();
  auto files = attestation::AttestationFilesFor(f.config_dir(), img.manifest_digest).value();
  ASSERT_EQ(files.files.size(), 1u);
  auto other = signature::LoadKey(f.config_dir(), "other").value();
  auto ci = signature::LoadKey(f.config_dir(), "ci").value();
  auto v = attestation::VerifyAttestationBundle(testing::ReadFile(path), {other}).value();
  v.key_fingerprint = ci.fingerprint();
  AttestationCache c;
  attestation::AttestationCacheKey key{
      files.files[0].id, img.manifest_digest, {ci.fingerprint()}, kPolicyDigest};
  ASSERT_TRUE(c.Add(key, files.files[0].stamp, v).ok());
  ASSERT_TRUE(c.Save(state.path()).ok());
  Finding hit = Check(false);
  EXPECT_EQ(hit.outcome, Outcome::kPass) << hit.message;
  EXPECT_TRUE(FromCache(hit)) << hit.message;
}

TEST_F(AttestedCacheTest, ARewrittenOrReplacedFileIsNotMasked) {
  std::string path = Scan("ci", {});
  PastRacy();
  ASSERT_EQ(Check(true).outcome, Outcome::kPass);
  ASSERT_TRUE(FromCache(Check(false)));
  // The same file name, another scan's bytes written in place: the identity changed, the bytes
  // are read again and do not match the name (fail closed, never the cached pass).
  std::string clean = testing::ReadFile(path);
  testing::WriteFile(path, Bundle("ci", {{"CVE-2026-0001", "CRITICAL"}}), 0644);
  Finding edited = Check(true);
  EXPECT_EQ(edited.outcome, Outcome::kFail) << edited.message;
  EXPECT_NE(edited.message.find("edited after import"), std::string::npos) << edited.message;
  // The original bytes back, as a new file (a new inode): verified again, not from the cache.
  std::string tmp = path + ".new";
  testing::WriteFile(tmp, clean, 0644);
  ASSERT_EQ(rename(tmp.c_str(), path.c_str()), 0);
  Finding replaced = Check(false);
  EXPECT_EQ(replaced.outcome, Outcome::kPass) << replaced.message;
  EXPECT_FALSE(FromCache(replaced)) << replaced.message;
}

TEST_F(AttestedCacheTest, ANewScanIsReadBesideTheCachedOne) {
  Scan("ci", {}, 2);
  PastRacy();
  ASSERT_EQ(Check(true).outcome, Outcome::kPass);
  Scan("ci", {{"CVE-2026-0009", "CRITICAL"}}, 1);
  Finding r = Check(true);
  EXPECT_EQ(r.outcome, Outcome::kFail) << r.message;
  EXPECT_NE(r.message.find("CVE-2026-0009"), std::string::npos) << r.message;
  EXPECT_TRUE(FromCache(r)) << r.message;  // the older scan still came from the cache
}

TEST_F(AttestedCacheTest, AnotherKeySetOrPolicyMisses) {
  Scan("ci", {});
  PastRacy();
  ASSERT_EQ(Check(true).outcome, Outcome::kPass);
  Finding policy = Check(false, kRule, "sha256:" + std::string(64, 'b'));
  EXPECT_EQ(policy.outcome, Outcome::kPass);
  EXPECT_FALSE(FromCache(policy)) << policy.message;
  Finding keys = Check(false, {{"signed_by", "ci,other"}, {"vulnerabilities", "critical:0"}});
  EXPECT_EQ(keys.outcome, Outcome::kPass);
  EXPECT_FALSE(FromCache(keys)) << keys.message;
  // Key `ci` replaced by other bytes under the same name: its fingerprint changed, a miss,
  // and the attestation it signed no longer verifies.
  testing::WriteFile(f.config_dir() + "/keys/ci.pub",
                     testing::ReadFile(f.config_dir() + "/keys/other.pub"), 0644);
  Finding rotated = Check(false);
  EXPECT_EQ(rotated.outcome, Outcome::kFail) << rotated.message;
  EXPECT_FALSE(FromCache(rotated)) << rotated.message;
}

TEST_F(AttestedCacheTest, FailuresAndRacyFilesAreNeverCached) {
  Scan("other", {});
  PastRacy();
  EXPECT_EQ(Check(true).outcome, Outcome::kFail);
  EXPECT_EQ(access(CacheFile().c_str(), F_OK), -1);
  Scan("ci", {});  // just written: its ctime could still be reused by a write in the same tick
  EXPECT_EQ(Check(true).outcome, Outcome::kPass);
  EXPECT_EQ(Cached(), 0u);
}

// A cache claiming a clean scan for the CRITICAL one on disk (the same file identity, key `ci`):
// used only when it is the root-owned regular file the runtime wrote; damaged, truncated,
// symlinked or owned by another user it is ignored, and the CRITICAL refuses.
TEST_F(AttestedCacheTest, AnUntrustedOrDamagedCacheIsAMissNeverAnAllow) {
  std::string path = Scan("ci", {{"CVE-2026-0001", "CRITICAL"}});
  PastRacy();
  auto files = attestation::AttestationFilesFor(f.config_dir(), img.manifest_digest).value();
  auto ci = signature::LoadKey(f.config_dir(), "ci").value();
  auto v = attestation::VerifyAttestationBundle(testing::ReadFile(path), {ci}).value();
  v.predicate.vuln.counts = {};
  v.predicate.vuln.ids = {};
  AttestationCache poisoned;
  ASSERT_TRUE(poisoned
                  .Add({files.files[0].id, img.manifest_digest, {ci.fingerprint()}, kPolicyDigest},
                       files.files[0].stamp, v)
                  .ok());
  TempDir elsewhere;
  ASSERT_TRUE(poisoned.Save(elsewhere.path()).ok());
  std::string text = testing::ReadFile(elsewhere / attestation::kAttestationCacheFile);
  auto refused = [&](const char* what) {
    Finding r = Check(false);
    EXPECT_EQ(r.outcome, Outcome::kFail) << what << ": " << r.message;
    EXPECT_NE(r.message.find("CVE-2026-0001"), std::string::npos) << what << ": " << r.message;
  };
  testing::WriteFile(CacheFile(), text.substr(0, text.size() - 1), 0600);
  refused("truncated");
  std::string damaged = text;
  damaged[damaged.find("\"key\"") + 2] = 'X';
  testing::WriteFile(CacheFile(), damaged, 0600);
  refused("damaged entry");
  ASSERT_EQ(unlink(CacheFile().c_str()), 0);
  ASSERT_EQ(symlink((elsewhere / attestation::kAttestationCacheFile).c_str(), CacheFile().c_str()),
            0);
  refused("symlink");
  EXPECT_NE(Check(false).message.find("attestation cache ignored"), std::string::npos);
  ASSERT_EQ(unlink(CacheFile().c_str()), 0);
  testing::WriteFile(CacheFile(), text, 0600);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(CacheFile().c_str(), 65534, 65534), 0);
    refused("owned by nobody");
    ASSERT_EQ(chown(CacheFile().c_str(), 0, 0), 0);
  }
  ASSERT_EQ(chmod(CacheFile().c_str(), 0666), 0);
  refused("world-writable");
  // The same bytes as a trusted file are used: the boundary is the file's trust, as for the
  // state dir's other caches (root on the host is out of scope).
  ASSERT_EQ(chmod(CacheFile().c_str(), 0600), 0);
  EXPECT_EQ(Check(false).outcome, Outcome::kPass);
}

}  // namespace
}  // namespace verified
