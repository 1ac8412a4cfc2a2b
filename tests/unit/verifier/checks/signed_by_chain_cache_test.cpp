// signed_by's whole-chain cache entries (signature/cached_chain.h): a store record whose record
// file bytes, manifest digest, image ID, keys, policy and identity are as cached is counted
// without parsing the record or the manifest again, and any change to those is noticed on the
// next decision (the stale-cache attacks below): never counted from a stale entry.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "unit/support/temp_dir.h"
#include "unit/verifier/checks/signed_image_fixture.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signed_by.h"
#include "verifier/crypto/sha256.h"
#include "verifier/registry/registration_store.h"
#include "verifier/signature/cached_chain.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/signature_store.h"
#include "verifier/signature/verification_cache.h"

namespace verified {
namespace {

using signature::ChainKey;
using signature::VerificationCache;
using testing::MakeTestImage;
using testing::SignedFixture;
using testing::SignedRecord;
using testing::SimpleSigningPayloadFor;
using testing::TempDir;

const std::string kRepoChain = "docker.io/signed/app";
const std::string kPolicyDigestChain = "sha256:" + std::string(64, 'a');
const std::string kOtherPolicyDigest = "sha256:" + std::string(64, 'b');
constexpr const char* kFromCacheChain = "from the verification cache";

RequirementPtr RuleChain(const nlohmann::json& require) {
  std::vector<RequirementPtr> reqs;
  for (const auto& [name, value] : require.items())
    reqs.push_back(MakeRequirement(name, value).value());
  auto combined = CombineSignatureRequirements(std::move(reqs));
  EXPECT_TRUE(combined.ok()) << combined.error().What();
  return combined->front();
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class SignedByChainCacheTest : public ::testing::Test {
 protected:
  SignedFixture f{{"ci", "other"}};
  testing::TestImage img = MakeTestImage("app");
  ResolvedImage resolved = f.Resolved(img, {kRepoChain + ":1"});
  TempDir state;

  signature::SignatureRecord Sign(const std::string& key) {
    auto r =
        SignedRecord(f.signer(key), SimpleSigningPayloadFor(img.manifest_digest, kRepoChain + ":1"),
                     img.manifest_digest);
    f.Store(r, img.manifest);
    return r;
  }
  std::string DigestDir() const {
    return f.config_dir() + "/signatures/sha256-" + img.manifest_digest.substr(7);
  }
  std::string RecordFile(const signature::SignatureRecord& r) const {
    return signature::SignatureRecordId(r) + ".json";
  }
  std::string Fingerprint(const std::string& key) const {
    return signature::LoadKey(f.config_dir(), key)->fingerprint();
  }
  // The chain entry a decision would look up for record `r` under `ci`, repository identity.
  ChainKey KeyFor(const signature::SignatureRecord& r) const {
    ChainKey k;
    k.record_file = RecordFile(r);
    k.record_sha256 = Sha256Hex(Slurp(DigestDir() + "/" + k.record_file));
    k.manifest_digest = img.manifest_digest;
    k.image_id = img.image_id;
    k.key_fingerprints = {Fingerprint("ci")};
    k.policy_digest = kPolicyDigestChain;
    k.identity = "repository";
    k.repository = kRepoChain;
    return k;
  }
  // A cache holding only a chain entry for `k`, verified by `ci`.
  void CacheOnly(const ChainKey& k) {
    VerificationCache c;
    ASSERT_TRUE(signature::AddCachedChain(c, k, Fingerprint("ci")).ok());
    ASSERT_TRUE(c.Save(state.path()).ok());
  }
  Finding Check(const nlohmann::json& require, bool write,
                const std::string& policy_digest = kPolicyDigestChain,
                const ResolvedImage* image = nullptr) {
    RegistrationStore regs(f.config_dir());
    CheckContext ctx{image != nullptr ? *image : resolved,
                     nullptr,
                     false,
                     nullptr,
                     nullptr,
                     regs,
                     policy_digest,
                     VerificationCacheAccess{state.path(), write}};
    return RuleChain(require)->Check(ctx);
  }
};

// A record key ci does not verify (key other signed it) with only a chain entry saying ci
// verified it: only the chain entry can count it, which shows a hit skips the record's
// parse-and-verify; the manifest link is still stated in the proof.
TEST_F(SignedByChainCacheTest, ChainHitCountsWithoutVerifying) {
  auto r = Sign("other");
  CacheOnly(KeyFor(r));
  Finding hit = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(hit.outcome, Outcome::kPass) << hit.message;
  EXPECT_NE(hit.message.find("for repository " + kRepoChain +
                             ": counted (verified before: " + std::string(kFromCacheChain)),
            std::string::npos)
      << hit.message;
  EXPECT_NE(hit.message.find("names config " + img.image_id), std::string::npos) << hit.message;
}

TEST_F(SignedByChainCacheTest, WriterAddsAChainEntryThatTheNextDecisionHits) {
  auto r = Sign("ci");
  ASSERT_EQ(Check({{"signed_by", "ci"}}, true).outcome, Outcome::kPass);
  // The record-level entry and the chain entry.
  EXPECT_EQ(VerificationCache::Load(state.path()).size(), 2u);
  EXPECT_TRUE(VerificationCache::Load(state.path())
                  .FindName(signature::ChainCacheName(KeyFor(r)), {Fingerprint("ci")}));
  Finding second = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(second.outcome, Outcome::kPass) << second.message;
  EXPECT_NE(second.message.find(kFromCacheChain), std::string::npos) << second.message;
}

// Attack: the record file is edited after the entry was made (a byte changed): its hash no
// longer names the entry, the record is parsed again and the broken store fails the rule.
TEST_F(SignedByChainCacheTest, EditedRecordFileMisses) {
  auto r = Sign("other");
  CacheOnly(KeyFor(r));
  std::string path = DigestDir() + "/" + RecordFile(r);
  std::string text = Slurp(path);
  text.insert(text.size() - 2, " ");
  testing::WriteFile(path, text, 0644);
  Finding edited = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(edited.outcome, Outcome::kFail) << edited.message;
  EXPECT_EQ(edited.message.find(kFromCacheChain), std::string::npos) << edited.message;
}

// Attack: the stored manifest is replaced by other bytes after the entry was made: the
// manifest is hashed at every decision, so the store read fails closed.
TEST_F(SignedByChainCacheTest, ChangedManifestIsRefused) {
  auto r = Sign("other");
  CacheOnly(KeyFor(r));
  testing::WriteFile(DigestDir() + "/manifest.json", MakeTestImage("evil").manifest, 0644);
  Finding changed = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(changed.outcome, Outcome::kFail) << changed.message;
  EXPECT_NE(changed.message.find("not the signed manifest"), std::string::npos) << changed.message;
}

// Attack: the manifest was imported with the signature and is removed, while the engine keeps
// a file with the signed digest whose bytes changed: the engine's file is read and hashed.
TEST_F(SignedByChainCacheTest, ChangedEngineManifestIsRefused) {
  auto r = SignedRecord(f.signer("other"),
                        SimpleSigningPayloadFor(img.manifest_digest, kRepoChain + ":1"),
                        img.manifest_digest);
  f.Store(r, std::nullopt);
  ResolvedImage engine = resolved;
  ManifestFile mf = f.EngineFile(img.manifest);
  engine.manifest_files.push_back(mf);
  CacheOnly(KeyFor(r));
  ASSERT_EQ(Check({{"signed_by", "ci"}}, false, kPolicyDigestChain, &engine).outcome,
            Outcome::kPass);
  testing::WriteFile(mf.path, MakeTestImage("evil").manifest, 0644);
  Finding changed = Check({{"signed_by", "ci"}}, false, kPolicyDigestChain, &engine);
  EXPECT_EQ(changed.outcome, Outcome::kFail) << changed.message;
}

// Attack: the key file is replaced (another key under the trusted name): its fingerprint no
// longer names the entry, the record is verified with the new key and refused.
TEST_F(SignedByChainCacheTest, ReplacedKeyMisses) {
  auto r = Sign("ci");
  ASSERT_EQ(Check({{"signed_by", "ci"}}, true).outcome, Outcome::kPass);
  std::string other = Slurp(f.config_dir() + "/keys/other.pub");
  testing::WriteFile(f.config_dir() + "/keys/ci.pub", other, 0644);
  Finding replaced = Check({{"signed_by", "ci"}}, false);
  EXPECT_EQ(replaced.outcome, Outcome::kFail) << replaced.message;
  EXPECT_EQ(replaced.message.find(kFromCacheChain), std::string::npos) << replaced.message;
}

// Attack: a forged or stale entry under another policy (the policy was edited): a miss.
TEST_F(SignedByChainCacheTest, ChangedPolicyMisses) {
  auto r = Sign("other");
  CacheOnly(KeyFor(r));
  Finding edited = Check({{"signed_by", "ci"}}, false, kOtherPolicyDigest);
  EXPECT_EQ(edited.outcome, Outcome::kFail) << edited.message;
  // Another identity in the rule is another entry too.
  Finding digest_identity = Check({{"signed_by", "ci"}, {"signed_identity", "digest"}}, false);
  EXPECT_EQ(digest_identity.outcome, Outcome::kFail) << digest_identity.message;
}

// Attack: the same digest now stored under another repository (re-tagged), or another image
// ID (the store proves another config): the entry is not found, the full path refuses.
TEST_F(SignedByChainCacheTest, RetaggedOrOtherImageMisses) {
  auto r = Sign("ci");
  ASSERT_EQ(Check({{"signed_by", "ci"}}, true).outcome, Outcome::kPass);
  ResolvedImage moved = f.Resolved(img, {"docker.io/moved/app:1"});
  Finding retagged = Check({{"signed_by", "ci"}}, false, kPolicyDigestChain, &moved);
  EXPECT_EQ(retagged.outcome, Outcome::kFail) << retagged.message;
  EXPECT_NE(retagged.message.find("signed for repository " + kRepoChain), std::string::npos)
      << retagged.message;
  // The engine keeps the signed manifest for an image the store proves to be another config.
  ResolvedImage other = resolved;
  other.image_id = MakeTestImage("other").image_id;
  other.manifest_files.push_back(f.EngineFile(img.manifest));
  Finding another = Check({{"signed_by", "ci"}}, false, kPolicyDigestChain, &other);
  EXPECT_EQ(another.outcome, Outcome::kFail) << another.message;
  EXPECT_NE(another.message.find("not this image's ID"), std::string::npos) << another.message;
}

// A chain through an index is never cached: its link runs through other engine files.
TEST_F(SignedByChainCacheTest, IndexChainsAreNotCached) {
  std::string index = testing::MakeIndex({img.manifest_digest});
  std::string index_digest = Sha256Digest(index);
  auto r = SignedRecord(f.signer("ci"), SimpleSigningPayloadFor(index_digest, kRepoChain + ":1"),
                        index_digest);
  f.Store(r, index);
  ResolvedImage engine = resolved;
  engine.manifest_files.push_back(f.EngineFile(index));
  engine.manifest_files.push_back(f.EngineFile(img.manifest));
  Finding pass = Check({{"signed_by", "ci"}}, true, kPolicyDigestChain, &engine);
  ASSERT_EQ(pass.outcome, Outcome::kPass) << pass.message;
  EXPECT_EQ(VerificationCache::Load(state.path()).size(), 1u);  // the record-level entry only
}

TEST(ChainCacheName, EveryMemberNamesTheEntry) {
  ChainKey base{"a.json",
                std::string(64, '1'),
                "sha256:" + std::string(64, '2'),
                "sha256:" + std::string(64, '3'),
                {std::string(64, '4'), std::string(64, '5')},
                "sha256:" + std::string(64, '6'),
                "repository",
                signature::SignatureFormat::kSimpleSigning,
                "docker.io/x/y"};
  const std::string name = signature::ChainCacheName(base);
  ChainKey reordered = base;
  std::swap(reordered.key_fingerprints[0], reordered.key_fingerprints[1]);
  EXPECT_EQ(signature::ChainCacheName(reordered), name);
  auto differs = [&](auto change) {
    ChainKey k = base;
    change(k);
    return signature::ChainCacheName(k) != name;
  };
  EXPECT_TRUE(differs([](ChainKey& k) { k.record_file = "b.json"; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.record_sha256.back() = '9'; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.manifest_digest.back() = '9'; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.image_id.back() = '9'; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.key_fingerprints.pop_back(); }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.policy_digest.back() = '9'; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.identity = "digest"; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.format = signature::SignatureFormat::kSigstoreBundle; }));
  EXPECT_TRUE(differs([](ChainKey& k) { k.repository = "docker.io/x/z"; }));
  // A fingerprint outside the key set is never added.
  VerificationCache c;
  EXPECT_FALSE(signature::AddCachedChain(c, base, std::string(64, '7')).ok());
  EXPECT_TRUE(signature::AddCachedChain(c, base, std::string(64, '5')).ok());
  EXPECT_TRUE(c.FindName(name, base.key_fingerprints));
  EXPECT_FALSE(c.FindName(name, {std::string(64, '4')}));  // its key left the set
}

}  // namespace
}  // namespace verified
