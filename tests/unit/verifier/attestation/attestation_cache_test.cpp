// The attestation cache file and its entries: what a hit must match, and that anything but a
// well-formed, trusted file is an empty cache.
#include "verifier/attestation/attestation_cache.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"

namespace verified::attestation {
namespace {

using testing::TempDir;

const std::string kFp = std::string(64, 'a');
const std::string kOtherFp = std::string(64, 'b');
const std::string kDigest = "sha256:" + std::string(64, 'c');
const std::string kId = std::string(64, 'd');
const std::string kPolicy = "sha256:" + std::string(64, 'e');
const signedpolicy::FileStamp kStamp{1, 2, 3, 4, 5};

VerifiedAttestation Scan() {
  VerifiedAttestation a;
  a.key_name = "ci";
  a.key_fingerprint = kFp;
  a.statement.type = std::string(signature::kInTotoStatementV01);
  a.statement.predicate_type = std::string(kVulnPredicateType);
  a.statement.subject_digests = {kDigest};
  a.statement.subject_names = {"app"};
  a.predicate.kind = PredicateKind::kVuln;
  a.predicate.type = a.statement.predicate_type;
  a.predicate.vuln.scanner_uri = "pkg:github/aquasecurity/trivy@0.58.1";
  a.predicate.vuln.scanner_version = "0.58.1";
  a.predicate.vuln.finished_text = "2026-12-01T10:00:05Z";
  a.predicate.vuln.finished = 1796119205;
  a.predicate.vuln.counts = {0, 0, 3, 2, 1};
  a.predicate.vuln.ids[4] = {"CVE-2026-0001"};
  a.predicate.vuln.ids[3] = {"CVE-2026-0002", "CVE-2026-0003"};
  return a;
}

AttestationCacheKey Key() { return {kId, kDigest, {kFp, kOtherFp}, kPolicy}; }

void ExpectSame(const VerifiedAttestation& a, const VerifiedAttestation& b) {
  EXPECT_EQ(a.key_fingerprint, b.key_fingerprint);
  EXPECT_EQ(a.statement.type, b.statement.type);
  EXPECT_EQ(a.statement.predicate_type, b.statement.predicate_type);
  EXPECT_EQ(a.statement.subject_digests, b.statement.subject_digests);
  EXPECT_EQ(a.statement.subject_names, b.statement.subject_names);
  EXPECT_EQ(a.predicate.kind, b.predicate.kind);
  EXPECT_EQ(DescribePredicate(a.predicate), DescribePredicate(b.predicate));
  EXPECT_EQ(a.predicate.vuln.counts, b.predicate.vuln.counts);
  EXPECT_EQ(a.predicate.vuln.ids, b.predicate.vuln.ids);
  EXPECT_EQ(a.predicate.vuln.finished, b.predicate.vuln.finished);
  EXPECT_EQ(a.predicate.provenance.builder_id, b.predicate.provenance.builder_id);
  EXPECT_EQ(a.predicate.provenance.source_repository, b.predicate.provenance.source_repository);
  EXPECT_EQ(a.predicate.provenance.dependencies.size(), b.predicate.provenance.dependencies.size());
  EXPECT_EQ(a.predicate.sbom.packages, b.predicate.sbom.packages);
}

TEST(CachedAttestation, RoundTripsEachKind) {
  std::vector<VerifiedAttestation> all(4, Scan());
  all[1].predicate = Predicate();
  all[1].predicate.kind = PredicateKind::kSpdx;
  all[1].predicate.type = std::string(kSpdxPredicateType);
  all[1].predicate.sbom = {"SPDX-2.3", "app", 14};
  all[2].predicate = Predicate();
  all[2].predicate.kind = PredicateKind::kSlsa;
  all[2].predicate.type = std::string(kSlsaProvenanceV1);
  all[2].predicate.provenance.builder_id = "https://github.com/actions/runner/github-hosted";
  all[2].predicate.provenance.dependencies = {{"git+https://github.com/acme/app@main", "0a"}};
  all[2].predicate.provenance.source_repository = "https://github.com/acme/app";
  all[3].predicate = Predicate();
  all[3].predicate.type = "https://example.com/other";
  for (auto& a : all) {
    a.statement.predicate_type = a.predicate.type;
    auto text = EncodeCachedAttestation({kStamp, a});
    ASSERT_TRUE(text.ok()) << text.error().What();
    EXPECT_EQ(text->find('\n'), std::string::npos);
    auto back = ParseCachedAttestation(*text);
    ASSERT_TRUE(back.ok()) << back.error().What() << "\n" << *text;
    EXPECT_EQ(back->file, kStamp);
    EXPECT_TRUE(back->attestation.key_name.empty());
    ExpectSame(a, back->attestation);
  }
}

TEST(CachedAttestation, ParsesOnlyWhatItWrites) {
  std::string good = EncodeCachedAttestation({kStamp, Scan()}).value();
  auto j = nlohmann::json::parse(good);
  auto refused = [&](const char* what, auto edit) {
    nlohmann::json copy = j;
    edit(copy);
    EXPECT_FALSE(ParseCachedAttestation(copy.dump()).ok()) << what;
  };
  refused("extra member", [](auto& c) { c["extra"] = 1; });
  refused("no file", [](auto& c) { c.erase("file"); });
  refused("no vuln member", [](auto& c) { c.erase("vuln"); });
  refused("sbom for a vuln type", [](auto& c) {
    c.erase("vuln");
    c["sbom"] = {{"format", "x"}, {"name", "y"}, {"packages", 1}};
  });
  refused("short key", [](auto& c) { c["key"] = "abc"; });
  refused("subject not sha256", [](auto& c) { c["subjects"][0][0] = "sha512:00"; });
  refused("no subject", [](auto& c) { c["subjects"] = nlohmann::json::array(); });
  refused("statement type", [](auto& c) { c["statement"] = "https://example.com/x"; });
  refused("4 counts", [](auto& c) { c["vuln"]["counts"].erase(0); });
  refused("negative count", [](auto& c) { c["vuln"]["counts"][4] = -1; });
  refused("string count", [](auto& c) { c["vuln"]["counts"][4] = "0"; });
  refused("11 IDs", [](auto& c) {
    for (int i = 0; i < 10; ++i) c["vuln"]["ids"][4].push_back("CVE-x");
  });
  refused("stamp", [](auto& c) { c["file"] = {1, 2, 3}; });
  refused("vuln extra", [](auto& c) { c["vuln"]["x"] = 1; });
  EXPECT_FALSE(ParseCachedAttestation("[]").ok());
  EXPECT_FALSE(ParseCachedAttestation(good.substr(0, good.size() - 1)).ok());
  EXPECT_EQ(ParseCachedAttestation(std::string(kMaxCachedAttestationBytes + 1, ' ')).error().kind(),
            ErrorKind::kTooLarge);
}

TEST(AttestationCache, NameBindsEveryInputButKeyOrder) {
  std::string name = AttestationCacheName(Key());
  AttestationCacheKey k = Key();
  std::swap(k.key_fingerprints[0], k.key_fingerprints[1]);
  EXPECT_EQ(AttestationCacheName(k), name);
  for (int i = 0; i < 4; ++i) {
    k = Key();
    if (i == 0) k.attestation_id[0] = 'f';
    if (i == 1) k.digest.back() = '0';
    if (i == 2) k.key_fingerprints.pop_back();
    if (i == 3) k.policy_digest.back() = '0';
    EXPECT_NE(AttestationCacheName(k), name) << i;
  }
}

TEST(AttestationCache, FindNeedsTheSameFileAndAKeyOfTheSet) {
  AttestationCache c;
  ASSERT_TRUE(c.Add(Key(), kStamp, Scan()).ok());
  auto hit = c.Find(Key(), kStamp);
  ASSERT_TRUE(hit.has_value());
  ExpectSame(*hit, Scan());
  for (int i = 0; i < 5; ++i) {  // any member of the file's identity changed: a miss
    signedpolicy::FileStamp s = kStamp;
    if (i == 0) s.dev++;
    if (i == 1) s.ino++;
    if (i == 2) s.size++;
    if (i == 3) s.mtime_ns++;
    if (i == 4) s.ctime_ns++;
    EXPECT_FALSE(c.Find(Key(), s).has_value()) << i;
  }
  AttestationCacheKey other = Key();
  other.key_fingerprints = {kOtherFp};
  EXPECT_FALSE(c.Find(other, kStamp).has_value());
  // A cache never says more than was proven: the verifying key must be of the set.
  EXPECT_EQ(c.Add(other, kStamp, Scan()).error().kind(), ErrorKind::kInvalidArgument);
}

TEST(AttestationCache, SavesLoadsAndDropsTheOldest) {
  TempDir dir;
  AttestationCache c;
  for (size_t i = 0; i <= kMaxAttestationCacheEntries; ++i) {
    AttestationCacheKey k = Key();
    k.attestation_id = fmt::format("{:064x}", i);
    ASSERT_TRUE(c.Add(k, kStamp, Scan()).ok());
  }
  EXPECT_EQ(c.size(), kMaxAttestationCacheEntries);
  ASSERT_TRUE(c.Save(dir.path()).ok());
  struct stat st;
  ASSERT_EQ(stat((dir / kAttestationCacheFile).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  AttestationCache back = AttestationCache::Load(dir.path());
  EXPECT_TRUE(back.ignored_reason().empty()) << back.ignored_reason();
  EXPECT_EQ(back.size(), kMaxAttestationCacheEntries);
  AttestationCacheKey first = Key(), last = Key();
  first.attestation_id = fmt::format("{:064x}", 0);
  last.attestation_id = fmt::format("{:064x}", kMaxAttestationCacheEntries);
  EXPECT_FALSE(back.Find(first, kStamp).has_value());
  EXPECT_TRUE(back.Find(last, kStamp).has_value());
}

TEST(AttestationCache, AFileNotAsWrittenIsEmpty) {
  AttestationCache c;
  ASSERT_TRUE(c.Add(Key(), kStamp, Scan()).ok());
  TempDir dir;
  ASSERT_TRUE(c.Save(dir.path()).ok());
  std::string text = testing::ReadFile(dir / kAttestationCacheFile);
  ASSERT_TRUE(AttestationCache::Parse(text).has_value());
  EXPECT_FALSE(AttestationCache::Parse(text.substr(0, text.size() - 1)).has_value());  // cut
  EXPECT_FALSE(AttestationCache::Parse("verified attestation verifications v2\n").has_value());
  EXPECT_FALSE(AttestationCache::Parse(text + "zz " + text.substr(text.find(' ') + 1)).has_value());
  EXPECT_FALSE(AttestationCache::Parse(text + std::string(64, 'a') + "\n").has_value());
  // An entry whose JSON is damaged is a miss (the rest of the file still serves).
  std::string damaged = text;
  damaged[damaged.find("\"vuln\"") + 1] = 'X';
  auto d = AttestationCache::Parse(damaged);
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->Find(Key(), kStamp).has_value());
}

TEST(AttestationCache, AnUntrustedFileIsIgnored) {
  AttestationCache c;
  ASSERT_TRUE(c.Add(Key(), kStamp, Scan()).ok());
  TempDir dir, other;
  ASSERT_TRUE(c.Save(other.path()).ok());
  std::string path = dir / kAttestationCacheFile;
  ASSERT_EQ(symlink((other / kAttestationCacheFile).c_str(), path.c_str()), 0);
  AttestationCache linked = AttestationCache::Load(dir.path());
  EXPECT_EQ(linked.size(), 0u);
  EXPECT_FALSE(linked.ignored_reason().empty());
  ASSERT_EQ(unlink(path.c_str()), 0);
  ASSERT_TRUE(c.Save(dir.path()).ok());
  ASSERT_EQ(chmod(path.c_str(), 0622), 0);
  EXPECT_EQ(AttestationCache::Load(dir.path()).size(), 0u);
  ASSERT_EQ(chmod(path.c_str(), 0600), 0);
  if (geteuid() == 0) {
    ASSERT_EQ(chown(path.c_str(), 65534, 65534), 0);
    AttestationCache foreign = AttestationCache::Load(dir.path());
    EXPECT_EQ(foreign.size(), 0u);
    EXPECT_FALSE(foreign.ignored_reason().empty());
  }
  ASSERT_EQ(unlink(path.c_str()), 0);
  AttestationCache none = AttestationCache::Load(dir.path());
  EXPECT_EQ(none.size(), 0u);
  EXPECT_TRUE(none.ignored_reason().empty());
}

}  // namespace
}  // namespace verified::attestation
