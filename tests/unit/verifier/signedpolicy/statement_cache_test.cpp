// The create path's statement cache: a hit answers without reading policy.sig.json, and every
// refusal still happens with it warm: an edited, added or removed registration as it is read,
// a swapped statement, an added key, a rollback; a corrupt or untrusted cache is a miss.
#include "verifier/signedpolicy/statement_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/verifier/signedpolicy/signed_policy_fixture.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/registry/registration_store.h"

namespace verified::signedpolicy {
namespace {

Registration Make(const std::string& name, const std::string& seed) {
  Registration r;
  r.name = name;
  r.diff_ids.push_back("sha256:" + Sha256Hex(seed));
  r.chain_ids = ChainIds(r.diff_ids);
  r.image_id = "sha256:" + Sha256Hex(name);
  r.registered_at = "2026-01-01T00:00:00Z";
  r.registered_by = "test";
  r.engine = "docker";
  return r;
}

class StatementCacheTest : public SignedPolicyTest {
 protected:
  // What a create decision asks (registrations checked as read, the caches in use).
  SignedPolicyCheck Create(int64_t now = kNow, bool raise = true) {
    return CheckSignedPolicy({cfg_, state_, now, "", raise, /*hash_registrations=*/false});
  }

  // The statement and signature files must be older than the racy window to be cached.
  static void Settle() { usleep(static_cast<useconds_t>(kRacyNs / 1000 + 50000)); }

  // Registers app:1 and b:1, signs version `version` with ops_, and makes the cache warm: the
  // first create verifies and writes it, the second is a hit.
  void Warm(int64_t version = 1) {
    if (version == 1) {
      Trust(ops_);
      ASSERT_TRUE(RegistrationStore(cfg_).Put(app_).ok());
      ASSERT_TRUE(RegistrationStore(cfg_).Put(Make("docker.io/library/b:1", "b")).ok());
    }
    ASSERT_TRUE(Sign(ops_).ok());
    Settle();
    auto first = Create();
    ASSERT_TRUE(first.Accepted()) << first.message;
    EXPECT_FALSE(first.statement_cached);
    auto second = Create();
    ASSERT_TRUE(second.Accepted()) << second.message;
    ASSERT_TRUE(second.statement_cached);
    EXPECT_EQ(second.statement->version, version);
  }

  // The registration of app:1 as a decision accepted by `c` reads it.
  static Result<std::optional<Registration>> Read(const SignedPolicyCheck& c,
                                                  const std::string& cfg) {
    return RegistrationStore(cfg, SignedRegistrationsFor(c)).FindByName(kApp);
  }

  std::string AppPath() const { return cfg_ + "/images/by-name/" + Sha256Hex(kApp) + ".json"; }

  static constexpr const char* kApp = "docker.io/library/app:1";
  Registration app_ = Make(kApp, "app");
};

TEST_F(StatementCacheTest, HitAnswersPerPathAndOnlyDecidingChecksWrite) {
  Trust(ops_);
  ASSERT_TRUE(RegistrationStore(cfg_).Put(app_).ok());
  ASSERT_TRUE(Sign(ops_).ok());
  EXPECT_TRUE(Create().Accepted());
  EXPECT_NE(access(StatementCachePath(state_).c_str(), F_OK), 0)
      << "a statement written in the last clock ticks is not cached by identity";
  Settle();
  EXPECT_TRUE(Create(kNow, /*raise=*/false).Accepted());
  EXPECT_NE(access(StatementCachePath(state_).c_str(), F_OK), 0) << "readers never write";
  auto first = Create();
  ASSERT_TRUE(first.Accepted()) << first.message;
  EXPECT_FALSE(first.statement_cached);
  ASSERT_TRUE(Create().statement_cached);
  struct stat st;
  ASSERT_EQ(lstat(StatementCachePath(state_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  auto c = Create(kNow, /*raise=*/false);
  ASSERT_TRUE(c.statement_cached) << "readers may use it";
  ASSERT_TRUE(c.files);
  std::string rel = "images/by-name/" + Sha256Hex(kApp) + ".json";
  EXPECT_EQ(*c.files->Find(rel).value(), Sha256Digest(ReadFile(cfg_ + "/" + rel)));
  EXPECT_EQ(*c.files->Find("images/by-name/a.json").value(),
            Sha256Digest(ReadFile(cfg_ + "/images/by-name/a.json")));
  EXPECT_FALSE(c.files->Find("images/by-name/" + Sha256Hex("x") + ".json").value());
  EXPECT_EQ(*c.files->Find("policy.json").value(), Sha256Digest(ReadFile(cfg_ + "/policy.json")));
  auto r = Read(c, cfg_);
  ASSERT_TRUE(r.ok()) << r.error().What();
  ASSERT_TRUE(*r);
  EXPECT_EQ((*r)->name, kApp);
}

TEST_F(StatementCacheTest, EditedAddedOrRemovedRegistrationAfterCachingIsRefusedWhenRead) {
  Warm();
  std::string before = ReadFile(AppPath());
  WriteFile(AppPath(), before + " ");
  auto c = Create();
  ASSERT_TRUE(c.Accepted() && c.statement_cached) << "the policy step reads no registration";
  auto r = Read(c, cfg_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
  EXPECT_NE(r.error().What().find("signed policy: unsigned edit: images/by-name/" +
                                  Sha256Hex(kApp) + ".json changed since version 1"),
            std::string::npos)
      << r.error().What();
  ASSERT_EQ(unlink(AppPath().c_str()), 0);
  r = Read(Create(), cfg_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("was removed"), std::string::npos) << r.error().What();
  WriteFile(AppPath(), before);
  ASSERT_TRUE(Read(Create(), cfg_).ok());
  // Registered after signing: refused when read, by name and through its chain.
  auto evil = Make("docker.io/library/evil:1", "evil");
  ASSERT_TRUE(RegistrationStore(cfg_).Put(evil).ok());
  c = Create();
  ASSERT_TRUE(c.Accepted() && c.statement_cached);
  RegistrationStore store(cfg_, SignedRegistrationsFor(c));
  auto by_name = store.FindByName(evil.name);
  ASSERT_FALSE(by_name.ok());
  EXPECT_NE(by_name.error().What().find(".json was added since version 1"), std::string::npos)
      << by_name.error().What();
  auto by_chain = store.FindByChain(evil.TopChainId());
  ASSERT_FALSE(by_chain.ok());
  EXPECT_NE(by_chain.error().What().find("images/by-chain/"), std::string::npos);
}

TEST_F(StatementCacheTest, SwappedStatementIsAMissAndIsJudgedInFull) {
  Warm();
  std::string v1_statement = ReadFile(StatementPath(cfg_));
  std::string v1_signature = ReadFile(SignaturePath(cfg_));
  std::string v1_policy = ReadFile(cfg_ + "/policy.json");
  // A newer statement, properly signed: read, verified and used; the next create hits it.
  WriteFile(cfg_ + "/policy.json", R"({"default":"deny","rules":[]})");
  Warm(2);
  // The older one put back whole (rollback), with the cache warm for version 2.
  WriteFile(cfg_ + "/policy.json", v1_policy);
  WriteFile(StatementPath(cfg_), v1_statement);
  WriteFile(SignaturePath(cfg_), v1_signature);
  auto c = Create();
  EXPECT_FALSE(c.statement_cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kRollback) << c.message;
  // A statement signed by an untrusted key.
  WriteSigned(StatementFor(evil_, 9), evil_);
  c = Create();
  EXPECT_FALSE(c.statement_cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kUntrustedKey) << c.message;
  // The statement edited under its old signature.
  WriteFile(StatementPath(cfg_), StatementFor(ops_, 9));
  WriteFile(SignaturePath(cfg_), v1_signature);
  EXPECT_EQ(Create().refusal, PolicyRefusal::kBadSignature);
}

TEST_F(StatementCacheTest, KeysAndPolicyAreCheckedAtEveryHit) {
  Warm();
  WriteFile(cfg_ + "/keys/new.pub", signature::GenerateEcdsaP256("new")->public_key.Pem());
  auto c = Create();
  EXPECT_TRUE(c.statement_cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kUnsignedEdit);
  EXPECT_NE(c.message.find("keys/new.pub was added since version 1"), std::string::npos)
      << c.message;
  ASSERT_EQ(unlink((cfg_ + "/keys/new.pub").c_str()), 0);
  ASSERT_TRUE(Create().Accepted());
  // A planted policy key: not listed by the accepted version, and an unsigned edit.
  ASSERT_TRUE(signature::AddKey(signature::PolicyKeyDirectory(cfg_), evil_.public_key).ok());
  c = Create();
  EXPECT_EQ(c.refusal, PolicyRefusal::kUnsignedEdit) << c.message;
  EXPECT_NE(c.message.find("policy-keys/evil.pub was added"), std::string::npos) << c.message;
  ASSERT_TRUE(signature::RemoveKey(signature::PolicyKeyDirectory(cfg_), "evil").ok());
  WriteFile(cfg_ + "/policy.json", R"({"default":"allow"})");
  c = Create();
  EXPECT_TRUE(c.statement_cached);
  EXPECT_NE(c.message.find("policy.json changed since version 1"), std::string::npos) << c.message;
  // Expiry is judged with the clock of each create, hit or not.
  WriteFile(cfg_ + "/policy.json", R"({"default":"deny"})");
  c = Create(kNow + 31 * kDay);
  EXPECT_TRUE(c.statement_cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kExpired) << c.message;
}

TEST_F(StatementCacheTest, CorruptOrUntrustedCacheIsAMiss) {
  Warm();
  const std::string path = StatementCachePath(state_);
  const std::string good = ReadFile(path);
  size_t header_at = good.find('\n') + 1;
  size_t records_at = good.find('\n', good.find('\n', header_at) + 1) + 1;
  auto expect_miss = [&](const std::string& what) {
    auto c = Create(kNow, /*raise=*/false);
    EXPECT_TRUE(c.Accepted()) << what << ": " << c.message;
    EXPECT_FALSE(c.statement_cached) << what;
    auto r = Read(c, cfg_);
    EXPECT_TRUE(r.ok() && *r) << what;
  };
  std::string flipped = good;
  flipped[header_at + 20] ^= 1;
  WriteFile(path, flipped, 0600);
  expect_miss("a header byte changed");
  WriteFile(path, good.substr(0, good.size() - 1), 0600);
  expect_miss("truncated");
  WriteFile(path, "garbage\n", 0600);
  expect_miss("garbage");
  WriteFile(path, good, 0666);
  ASSERT_EQ(chmod(path.c_str(), 0666), 0);
  expect_miss("writable by others");
  ASSERT_EQ(unlink(path.c_str()), 0);
  WriteFile(dir_ / "elsewhere", good, 0600);
  ASSERT_EQ(symlink((dir_ / "elsewhere").c_str(), path.c_str()), 0);
  expect_miss("a symlink");
  ASSERT_EQ(unlink(path.c_str()), 0);
  // Every record damaged in turn: the header still opens, and each lookup that meets a damaged
  // record answers from the statement's verified bytes instead.
  for (size_t at = records_at; at < good.size(); at += kStatementCacheRecordBytes) {
    std::string bad = good;
    bad[at + 3] = bad[at + 3] == '0' ? '1' : '0';
    WriteFile(path, bad, 0600);
    auto c = Create(kNow, /*raise=*/false);
    ASSERT_TRUE(c.statement_cached);
    auto r = Read(c, cfg_);
    ASSERT_TRUE(r.ok() && *r) << (r.ok() ? "not found" : r.error().What());
    std::string edited = ReadFile(AppPath());
    WriteFile(AppPath(), edited + " ");
    EXPECT_FALSE(Read(c, cfg_).ok()) << "an edit is still refused";
    WriteFile(AppPath(), edited);
  }
  // A damaged record and a statement that no longer hashes to the cached one: fail closed.
  std::string bad = good;
  for (size_t at = records_at; at < bad.size(); at += kStatementCacheRecordBytes) bad[at] ^= 1;
  WriteFile(path, bad, 0600);
  auto c = Create(kNow, /*raise=*/false);
  ASSERT_TRUE(c.statement_cached);
  std::string statement = ReadFile(StatementPath(cfg_));
  WriteFile(StatementPath(cfg_), statement + " ");
  auto r = Read(c, cfg_);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kIntegrity);
}

// A hit whose files changed without changing their identity (only possible by setting the
// clock) uses an older, validly signed statement: it can refuse what the newer one allows,
// never allow what no trusted key signed.
TEST_F(StatementCacheTest, StaleHitRefusesNeverAllows) {
  Warm();
  std::string cached_v1 = ReadFile(StatementCachePath(state_));
  // Version 2 re-registers app:1 with other layers.
  ASSERT_TRUE(RegistrationStore(cfg_).Put(Make(kApp, "app-v2")).ok());
  Warm(2);
  // Forge the identity: the version 1 cache, rewritten by root with version 2's file stamps.
  auto cache = StatementCache::Open(state_, cfg_);
  ASSERT_TRUE(cache.ok());
  StatementCacheHeader id = (*cache)->header();
  WriteFile(StatementCachePath(state_), cached_v1, 0600);
  auto v1 = StatementCache::Open(state_, cfg_);
  ASSERT_TRUE(v1.ok());
  StatementCacheHeader stale = (*v1)->header();
  stale.statement_file = id.statement_file;
  stale.signature_file = id.signature_file;
  PolicyStatement s = (*v1)->Statement();
  // Its images/ entries: as version 1 listed them.
  for (const auto& rel :
       {"images/by-name/" + Sha256Hex(kApp) + ".json", std::string("images/by-name/a.json")}) {
    s.files[rel] = *(*v1)->Find(rel).value();
  }
  ASSERT_TRUE(WriteStatementCache(state_, cfg_, stale, s).ok());
  auto c = Create(kNow, /*raise=*/false);
  ASSERT_TRUE(c.statement_cached);
  EXPECT_EQ(c.refusal, PolicyRefusal::kRollback) << c.message;
  // Without the mark (a wiped state dir keeps no cache either, but say it did): the per-read
  // check refuses the registration version 2 changed.
  ASSERT_EQ(unlink((state_ + "/policy-version").c_str()), 0);
  c = Create(kNow, /*raise=*/false);
  ASSERT_TRUE(c.statement_cached);
  ASSERT_TRUE(c.Accepted()) << c.message;
  EXPECT_EQ(c.statement->version, 1);
  auto r = Read(c, cfg_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().What().find("changed since version 1"), std::string::npos);
}

TEST(StatementCacheFile, BinarySearchOverManyRecords) {
  testing::TempDir dir;
  PolicyStatement s;
  s.version = 3;
  s.signed_at = kNow;
  s.expires = kNow + kDay;
  s.key = "sha256:" + std::string(64, 'a');
  s.files["policy.json"] = Sha256Digest("p");
  s.files["keys/k.pub"] = Sha256Digest("k");
  for (int i = 0; i < 1000; ++i) {
    s.files["images/by-name/" + Sha256Hex(std::to_string(i)) + ".json"] =
        Sha256Digest("r" + std::to_string(i));
  }
  StatementCacheHeader id;
  id.statement = id.signature = id.key = Sha256Digest("x");
  ASSERT_TRUE(WriteStatementCache(dir / "state", dir / "cfg", id, s).ok());
  auto c = StatementCache::Open(dir / "state", dir / "cfg");
  ASSERT_TRUE(c.ok()) << c.error().What();
  EXPECT_EQ((*c)->header().registrations, 1000u);
  EXPECT_EQ((*c)->header().files.size(), 2u);
  for (const auto& [path, digest] : s.files) {
    auto found = (*c)->Find(path);
    ASSERT_TRUE(found.ok() && *found) << path;
    EXPECT_EQ(**found, digest);
  }
  for (int i = 1000; i < 1100; ++i) {
    auto found = (*c)->Find("images/by-name/" + Sha256Hex(std::to_string(i)) + ".json");
    ASSERT_TRUE(found.ok());
    EXPECT_FALSE(*found);
  }
  EXPECT_FALSE((*c)->Find("keys/other.pub").value());
}

}  // namespace
}  // namespace verified::signedpolicy
