// The clock set far in the past or far in the future, against the signed policy's validity
// window (the expiry check the create decision makes, judged at CreateRequest::now_unix).
#include "unit/faults/decide_fixture.h"
#include "verifier/signature/key_dir.h"
#include "verifier/signature/key_generate.h"
#include "verifier/signedpolicy/policy_sign.h"

namespace verified::testing {
namespace {

constexpr const char* kClockArea = "clock";
constexpr int64_t kSignedAt = 1798761600;  // 2027-01-01T00:00:00Z
constexpr int64_t kYear = 365LL * 86400;

class FaultsClock : public FaultDecideTest {
 protected:
  FaultsClock() {
    EXPECT_TRUE(
        signature::AddKey(signature::PolicyKeyDirectory(req_.config_dir), ops_.public_key).ok());
    auto s = signedpolicy::SignPolicy({req_.config_dir, req_.state_dir, ops_.private_pem, "ops.key",
                                       kSignedAt, kSignedAt + 30 * 86400, 0});
    EXPECT_TRUE(s.ok()) << s.error().What();
    req_.now_unix = kSignedAt + 86400;
    Decision d = Decide(req_);
    EXPECT_TRUE(d.verdict.Allowed())
        << "the signed policy must allow within its window: " << d.verdict.reason;
  }
  signature::KeyPair ops_ = signature::GenerateEcdsaP256("ops").value();
};

TEST_F(FaultsClock, FarFuture) {
  req_.now_unix = kSignedAt + 100 * kYear;
  DecideAndRecord(kClockArea, "clock 100 years after the signed policy (valid 30 days)");
}

TEST_F(FaultsClock, JustAfterExpiry) {
  req_.now_unix = kSignedAt + 30 * 86400;
  DecideAndRecord(kClockArea, "clock at the signed policy's expiry second");
}

}  // namespace
}  // namespace verified::testing
