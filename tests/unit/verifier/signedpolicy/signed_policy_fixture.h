// The signed-policy test fixture: a config dir with a policy, one registration and one image
// key, a state dir, and two policy key pairs (ops_, trusted by Trust(); evil_, never).
#pragma once

#include <gtest/gtest.h>

#include <string>

#include "unit/support/temp_dir.h"
#include "verifier/core/base64.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signature/private_key.h"
#include "verifier/signedpolicy/covered_files.h"
#include "verifier/signedpolicy/policy_sign.h"
#include "verifier/signedpolicy/signed_policy.h"

namespace verified::signedpolicy {

using signature::KeyPair;
using testing::ReadFile;
using testing::TempDir;
using testing::WriteFile;

constexpr int64_t kNow = 1798761600;  // 2027-01-01T00:00:00Z
constexpr int64_t kDay = 86400;

class SignedPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    cfg_ = dir_ / "cfg";
    state_ = dir_ / "state";
    WriteFile(cfg_ + "/policy.json", R"({"default":"deny"})");
    WriteFile(cfg_ + "/images/by-name/a.json", R"({"name":"a"})");
    WriteFile(cfg_ + "/keys/img.pub", signature::GenerateEcdsaP256("img")->public_key.Pem());
  }

  void Trust(const KeyPair& k) {
    ASSERT_TRUE(signature::AddKey(signature::PolicyKeyDirectory(cfg_), k.public_key).ok());
  }

  Result<SignResult> Sign(const KeyPair& k, int64_t now = kNow, int64_t validity = 30 * kDay,
                          int64_t grace = 0) {
    return SignPolicy(
        {cfg_, state_, k.private_pem, k.public_key.name() + ".key", now, now + validity, grace});
  }

  SignedPolicyCheck Check(int64_t now = kNow, bool raise = true, std::string digest = "") {
    return CheckSignedPolicy({cfg_, state_, now, std::move(digest), raise});
  }

  // Writes `statement` signed by `k` as the host's signed policy, bypassing SignPolicy's checks.
  void WriteSigned(const std::string& statement, const KeyPair& k) {
    auto key = signature::PrivateKey::ParsePem(k.private_pem, "k").value();
    WriteFile(StatementPath(cfg_), statement);
    WriteFile(SignaturePath(cfg_), Base64Encode(key.Sign(statement).value()) + "\n");
  }

  // The statement SignPolicy would write now for `k`, at `version`.
  std::string StatementFor(const KeyPair& k, int64_t version) {
    PolicyStatement s;
    s.version = version;
    s.signed_at = kNow;
    s.expires = kNow + kDay;
    s.key = "sha256:" + k.public_key.fingerprint();
    s.files = CollectCoveredFiles(cfg_).value();
    return SerializeStatement(s);
  }

  TempDir dir_;
  std::string cfg_, state_;
  KeyPair ops_ = signature::GenerateEcdsaP256("ops").value();
  KeyPair evil_ = signature::GenerateEcdsaP256("evil").value();
};

}  // namespace verified::signedpolicy
