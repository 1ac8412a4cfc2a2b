#include "verifier/signedpolicy/signed_policy.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <string>

#include "unit/support/temp_dir.h"
#include "unit/verifier/signedpolicy/signed_policy_fixture.h"
#include "verifier/core/base64.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signature/private_key.h"
#include "verifier/signedpolicy/covered_files.h"
#include "verifier/signedpolicy/policy_mark.h"
#include "verifier/signedpolicy/policy_sign.h"

namespace verified::signedpolicy {
namespace {

TEST_F(SignedPolicyTest, NotRequiredWithoutPolicyKeys) {
  auto c = Check();
  EXPECT_FALSE(c.required);
  EXPECT_TRUE(c.Accepted());
  EXPECT_EQ(c.Summary(), "signed policy: not required (no policy keys)");
}

TEST_F(SignedPolicyTest, UnsignedIsRefused) {
  Trust(ops_);
  auto c = Check();
  EXPECT_TRUE(c.required);
  EXPECT_EQ(c.refusal, PolicyRefusal::kUnsigned);
  EXPECT_EQ(c.message.rfind("signed policy: the policy is unsigned", 0), 0u) << c.message;
  WriteFile(StatementPath(cfg_), StatementFor(ops_, 1));  // a statement without a signature
  EXPECT_EQ(Check().refusal, PolicyRefusal::kUnsigned);
}

TEST_F(SignedPolicyTest, SignedIsAcceptedAndRaisesTheMark) {
  Trust(ops_);
  auto s = Sign(ops_);
  ASSERT_TRUE(s.ok()) << s.error().What();
  EXPECT_EQ(s->statement.version, 1);
  EXPECT_EQ(s->signer, "ops");
  EXPECT_EQ(s->statement.files.count("policy-keys/ops.pub"), 1u);
  EXPECT_EQ(s->statement.files.count("keys/img.pub"), 1u);
  EXPECT_EQ(s->statement.files.count("images/by-name/a.json"), 1u);
  auto c = Check(kNow, /*raise=*/false);
  ASSERT_TRUE(c.Accepted()) << c.message;
  EXPECT_EQ(c.signer, "ops");
  EXPECT_EQ(ReadMark(state_).value(), std::nullopt) << "look-only checks never write";
  c = Check();
  ASSERT_TRUE(c.Accepted()) << c.message;
  EXPECT_EQ(c.warning, "");
  auto mark = ReadMark(state_).value();
  ASSERT_TRUE(mark.has_value());
  EXPECT_EQ(mark->version, 1);
  EXPECT_EQ(mark->statement, Sha256Digest(ReadFile(StatementPath(cfg_))));
  EXPECT_EQ(mark->policy_keys, std::vector<std::string>{"sha256:" + ops_.public_key.fingerprint()});
  struct stat st;
  ASSERT_EQ(stat(state_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0700u);
  ASSERT_EQ(stat(MarkPath(state_).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  EXPECT_EQ(c.Summary().rfind("signed policy: version 1 signed by ops (expires 2027-01-31", 0), 0u)
      << c.Summary();
}

TEST_F(SignedPolicyTest, P384SignsWithSha384AndRsaAndEd25519Verify) {
  for (const char* alg : {"P-384", "RSA", "ED25519"}) {
    EVP_PKEY* raw = std::string(alg) == "P-384" ? EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-384")
                    : std::string(alg) == "RSA"
                        ? EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048})
                        : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    ASSERT_NE(raw, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey(bio, raw, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(raw);
    auto key = signature::PrivateKey::ParsePem(pem, "k");
    ASSERT_TRUE(key.ok()) << key.error().What();
    auto sig = key->Sign("statement bytes");
    ASSERT_TRUE(sig.ok());
    EXPECT_TRUE(signature::Verify(key->public_key(), "statement bytes", *sig).ok()) << alg;
    EXPECT_FALSE(signature::Verify(key->public_key(), "statement byteS", *sig).ok()) << alg;
  }
}

TEST_F(SignedPolicyTest, UntrustedKeyIsRefused) {
  Trust(ops_);
  WriteSigned(StatementFor(evil_, 7), evil_);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kUntrustedKey);
  EXPECT_NE(c.message.find("signed policy: signed by an untrusted key (sha256:" +
                           evil_.public_key.fingerprint()),
            std::string::npos)
      << c.message;
  // policy sign refuses a key that is not a policy key.
  auto s = Sign(evil_);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().What().find("is not a policy key"), std::string::npos);
}

TEST_F(SignedPolicyTest, BadSignatureIsRefused) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  std::string statement = ReadFile(StatementPath(cfg_));
  std::string edited = statement;
  edited.replace(edited.find("\"version\": 1"), 12, "\"version\": 9");
  WriteFile(StatementPath(cfg_), edited);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kBadSignature);
  EXPECT_NE(c.message.find("the signature does not verify: policy.sig is not a signature of "
                           "policy.sig.json by policy key ops"),
            std::string::npos)
      << c.message;
  WriteFile(StatementPath(cfg_), statement);
  for (const char* garbage : {"", "not base64!\n", "AAAA\n", "MEUCIQ==\n"}) {
    WriteFile(SignaturePath(cfg_), garbage);
    EXPECT_EQ(Check().refusal, PolicyRefusal::kBadSignature) << garbage;
  }
}

TEST_F(SignedPolicyTest, MalformedSignedStatementIsRefused) {
  Trust(ops_);
  WriteSigned("{\"type\":\"verified.dev/policy-statement/v1\"}", ops_);
  EXPECT_EQ(Check().refusal, PolicyRefusal::kMalformed);
  // Signed by ops but naming another key.
  std::string s = StatementFor(evil_, 1);
  WriteSigned(s, ops_);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kMalformed);
  EXPECT_NE(c.message.find("but key ops"), std::string::npos) << c.message;
}

TEST_F(SignedPolicyTest, UnsignedEditsAreRefused) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  struct Edit {
    const char* file;
    const char* content;  // nullptr: remove
    const char* says;
  };
  for (const Edit& e : {Edit{"policy.json", R"({"default":"allow"})", "policy.json changed"},
                        Edit{"images/by-name/b.json", "{}", "images/by-name/b.json was added"},
                        Edit{"images/by-chain/c.json", "{}", "images/by-chain/c.json was added"},
                        Edit{"keys/img.pub", nullptr, "keys/img.pub was removed"},
                        Edit{"keys/new.pub", "x", "keys/new.pub was added"},
                        Edit{"policy-keys/x.txt", "x", "policy-keys/x.txt was added"}}) {
    std::string path = cfg_ + "/" + e.file;
    std::string before = ReadFile(path);
    bool existed = access(path.c_str(), F_OK) == 0;
    if (e.content == nullptr) {
      unlink(path.c_str());
    } else {
      WriteFile(path, e.content);
    }
    auto c = Check();
    EXPECT_EQ(c.refusal, PolicyRefusal::kUnsignedEdit) << e.file;
    EXPECT_NE(c.message.find(std::string("signed policy: unsigned edit: ") + e.says +
                             " since version 1 was signed"),
              std::string::npos)
        << c.message;
    if (existed) {
      WriteFile(path, before);
    } else {
      unlink(path.c_str());
    }
    ASSERT_TRUE(Check().Accepted()) << e.file << ": " << Check().message;
  }
  // The caller's policy bytes must be the signed ones.
  auto c = Check(kNow, true, "sha256:" + std::string(64, '0'));
  EXPECT_EQ(c.refusal, PolicyRefusal::kUnsignedEdit);
  EXPECT_NE(c.message.find("policy.json changed while it was read"), std::string::npos);
  EXPECT_TRUE(Check(kNow, true, Sha256Digest(ReadFile(cfg_ + "/policy.json"))).Accepted());
}

TEST_F(SignedPolicyTest, RollbackIsRefusedAndTheMarkNeverMovesDown) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  std::string v1 = ReadFile(StatementPath(cfg_)), v1sig = ReadFile(SignaturePath(cfg_));
  std::string v1policy = ReadFile(cfg_ + "/policy.json");
  WriteFile(cfg_ + "/policy.json", R"({"default":"deny","mode":"enforce"})");
  auto s2 = Sign(ops_);
  ASSERT_TRUE(s2.ok());
  EXPECT_EQ(s2->statement.version, 2);
  ASSERT_TRUE(Check().Accepted());
  EXPECT_EQ(ReadMark(state_).value()->version, 2);
  // Version 1 put back whole: validly signed, not expired, every file as signed.
  WriteFile(cfg_ + "/policy.json", v1policy);
  WriteFile(StatementPath(cfg_), v1);
  WriteFile(SignaturePath(cfg_), v1sig);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kRollback);
  EXPECT_EQ(c.message,
            "signed policy: rollback: version 1 is older than version 2, the highest this host "
            "accepted");
  EXPECT_EQ(ReadMark(state_).value()->version, 2);
  // The next signature continues from the mark, not from the statement on disk.
  auto s3 = Sign(ops_);
  ASSERT_TRUE(s3.ok());
  EXPECT_EQ(s3->statement.version, 3);
  // RaiseMark itself is monotonic.
  PolicyMark lower{1, "sha256:" + std::string(64, 'c'), {}};
  EXPECT_EQ(RaiseMark(state_, cfg_, lower).value().version, 2);
}

TEST_F(SignedPolicyTest, ExpiryWithAnInjectedClock) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_, kNow, kDay).ok());
  EXPECT_TRUE(Check(kNow - 3600).Accepted()) << "signed in the future of a slow clock";
  EXPECT_TRUE(Check(kNow + kDay - 1).Accepted());
  auto c = Check(kNow + kDay);
  EXPECT_EQ(c.refusal, PolicyRefusal::kExpired);
  EXPECT_EQ(c.message,
            "signed policy: expired: version 1 expired at 2027-01-02T00:00:00Z; sign a new "
            "version");
  EXPECT_EQ(Check(kNow + 100LL * 365 * kDay).refusal, PolicyRefusal::kExpired) << "far future";
}

TEST_F(SignedPolicyTest, GraceWarnsThenRefuses) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_, kNow, kDay, 3600).ok());
  auto before = Check(kNow + kDay - 1);
  EXPECT_TRUE(before.Accepted());
  EXPECT_EQ(before.warning, "");
  auto in_grace = Check(kNow + kDay + 10);
  EXPECT_TRUE(in_grace.Accepted()) << in_grace.message;
  EXPECT_EQ(in_grace.warning,
            "signed policy version 1 expired at 2027-01-02T00:00:00Z: creates are refused from "
            "2027-01-02T01:00:00Z (grace period); sign a new version");
  EXPECT_NE(in_grace.Summary().find("; WARNING: signed policy version 1 expired"),
            std::string::npos);
  auto after = Check(kNow + kDay + 3600);
  EXPECT_EQ(after.refusal, PolicyRefusal::kExpired);
  EXPECT_NE(after.message.find("(grace period ended at 2027-01-02T01:00:00Z)"), std::string::npos);
}

TEST_F(SignedPolicyTest, MarkWriteFailureIsReportedNotAnAllowOfAnOlderVersion) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  // The writers' lock cannot be opened (a directory in its place): the write fails.
  testing::MakeDir(state_ + "/.lock");
  chmod(state_.c_str(), 0700);
  auto c = Check();
  EXPECT_TRUE(c.Accepted()) << "the version accepted is the newer one";
  EXPECT_NE(c.warning.find("could not record version 1 as accepted in"), std::string::npos)
      << c.warning;
  // Inside the config dir: refused as a place, reported the same way.
  state_ = cfg_ + "/state";
  c = Check();
  EXPECT_NE(c.warning.find("is inside the config dir"), std::string::npos) << c.warning;
}

TEST_F(SignedPolicyTest, UnreadableOrUntrustedMarkIsRefused) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  WriteFile(MarkPath(state_), "{\"version\":1}", 0600);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kMarkUnreadable);
  EXPECT_EQ(c.message.rfind("signed policy: cannot read the high-water mark", 0), 0u);
  WriteFile(MarkPath(state_), SerializeMark({1, "sha256:" + std::string(64, 'c'), {}}), 0666);
  chmod(MarkPath(state_).c_str(), 0666);
  EXPECT_EQ(Check().refusal, PolicyRefusal::kMarkUnreadable) << "a world-writable mark";
}

TEST_F(SignedPolicyTest, KeyRotationNeedsASignatureByACurrentlyTrustedKey) {
  Trust(ops_);
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  // Someone who can write the config dir adds a key and signs with it.
  Trust(evil_);
  auto refused = Sign(evil_);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().What().find("policy key evil was not listed by version 1"),
            std::string::npos)
      << refused.error().What();
  WriteSigned(StatementFor(evil_, 2), evil_);
  auto c = Check();
  EXPECT_EQ(c.refusal, PolicyRefusal::kUntrustedKey);
  EXPECT_NE(c.message.find("is in policy-keys/ but was not listed by version 1"), std::string::npos)
      << c.message;
  // The trusted key lists the new one: from then on it signs.
  ASSERT_TRUE(Sign(ops_).ok());
  ASSERT_TRUE(Check().Accepted());
  ASSERT_TRUE(signature::RemoveKey(signature::PolicyKeyDirectory(cfg_), "ops").value());
  auto s = Sign(evil_);
  ASSERT_TRUE(s.ok()) << s.error().What();
  auto after = Check();
  ASSERT_TRUE(after.Accepted()) << after.message;
  EXPECT_EQ(after.signer, "evil");
  EXPECT_EQ(ReadMark(state_).value()->policy_keys,
            std::vector<std::string>{"sha256:" + evil_.public_key.fingerprint()});
}

TEST_F(SignedPolicyTest, ExpiresAndGraceArguments) {
  EXPECT_EQ(ParseExpires("720h", kNow).value(), kNow + 30 * kDay);
  EXPECT_EQ(ParseExpires("1h30m", kNow).value(), kNow + 5400);
  EXPECT_EQ(ParseExpires("1ms", kNow).value(), kNow + 1) << "rounded up to a second";
  EXPECT_EQ(ParseExpires("2027-01-02T00:00:00Z", kNow).value(), kNow + kDay);
  EXPECT_FALSE(ParseExpires("0s", kNow).ok());
  EXPECT_FALSE(ParseExpires("-1h", kNow).ok());
  EXPECT_FALSE(ParseExpires("2026-12-31T00:00:00Z", kNow).ok()) << "in the past";
  EXPECT_FALSE(ParseExpires("87841h", kNow).ok()) << "more than 10 years";
  EXPECT_FALSE(ParseExpires("tomorrow", kNow).ok());
  EXPECT_EQ(ParseGrace("0s").value(), 0);
  EXPECT_EQ(ParseGrace("72h").value(), 3 * kDay);
  EXPECT_FALSE(ParseGrace("-1s").ok());
  EXPECT_FALSE(ParseGrace("8785h").ok());
  Trust(ops_);
  EXPECT_FALSE(Sign(ops_, kNow, 0).ok()) << "expiry not after signing";
}

}  // namespace
}  // namespace verified::signedpolicy
