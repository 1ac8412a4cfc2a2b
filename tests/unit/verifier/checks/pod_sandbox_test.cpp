#include "verifier/checks/pod_sandbox.h"

#include <gtest/gtest.h>

#include "verifier/policy/evaluate.h"
#include "verifier/policy/policy.h"

namespace verified {
namespace {

ResolvedImage Pause(bool sandbox) {
  ResolvedImage img;
  img.engine = "containerd";
  img.image_id = "sha256:" + std::string(64, 'a');
  img.diff_ids = {"sha256:" + std::string(64, 'b')};
  img.chain_ids = img.diff_ids;
  img.typed_reference = "registry.k8s.io/pause:3.9";
  img.typed_confirmed = true;
  img.pod_sandbox = sandbox;
  return img;
}

TEST(PodSandbox, RuleForThePauseImageAdmitsOnlySandboxes) {
  auto policy = ParsePolicy(R"({"rules": [{"match": "registry.k8s.io/pause",
      "action": "allow", "require": {"pod_sandbox": true}}]})");
  ASSERT_TRUE(policy.ok()) << policy.error().What();
  RegistrationStore regs("/nonexistent");
  Spec spec;
  EXPECT_TRUE(Evaluate(*policy, Pause(true), &spec, regs).Allowed());
  Verdict v = Evaluate(*policy, Pause(false), &spec, regs);
  EXPECT_FALSE(v.Allowed());
  EXPECT_NE(v.reason.find("only as a Kubernetes pod sandbox"), std::string::npos) << v.reason;
  // verifiedctl check (no container): not evaluated, so the rule still allows.
  Verdict image_only = Evaluate(*policy, Pause(false), nullptr, regs);
  EXPECT_TRUE(image_only.Allowed());
}

TEST(PodSandbox, SandboxesGetNoBypass) {
  auto policy = ParsePolicy(R"({"rules": [{"match": "app", "action": "allow"}]})");
  ASSERT_TRUE(policy.ok());
  RegistrationStore regs("/nonexistent");
  Spec spec;
  Verdict v = Evaluate(*policy, Pause(true), &spec, regs);
  EXPECT_FALSE(v.Allowed());
  EXPECT_EQ(v.rule, "default");
}

TEST(PodSandbox, FalseKeepsSandboxesOut) {
  auto policy = ParsePolicy(
      R"({"rules": [{"match": "**", "action": "allow", "require": {"pod_sandbox": false}}]})");
  ASSERT_TRUE(policy.ok());
  RegistrationStore regs("/nonexistent");
  Spec spec;
  EXPECT_FALSE(Evaluate(*policy, Pause(true), &spec, regs).Allowed());
  EXPECT_TRUE(Evaluate(*policy, Pause(false), &spec, regs).Allowed());
  EXPECT_FALSE(ParsePolicy(R"({"rules": [{"match": "x", "action": "allow",
      "require": {"pod_sandbox": "yes"}}]})")
                   .ok());
}

}  // namespace
}  // namespace verified
