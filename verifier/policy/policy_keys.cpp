#include "verifier/policy/policy_keys.h"

#include "verifier/checks/attestation_requirements.h"
#include "verifier/checks/signature_requirements.h"
#include "verifier/signature/key_der.h"
#include "verifier/signature/key_dir.h"

namespace verified {
namespace {

Status CheckKeys(const std::vector<RequirementPtr>& reqs, const std::string& where,
                 const std::string& config_dir) {
  for (const auto& r : reqs) {
    for (const auto& name : SignedByKeys(*r)) {
      // The file must be there and trusted; it is parsed (its algorithm and curve judged)
      // when a signature has to be verified with it (checks/signed_by.cpp): a create whose
      // verification is cached parses no key. A key that does not parse fails its rule then.
      auto key = signature::LoadKeyFingerprint(signature::ImageKeyDirectory(config_dir), name);
      if (!key.ok()) {
        return Wrap(std::move(key).error(),
                    "{} signed_by names key {} (add it with verifiedctl key add)", where, name);
      }
    }
    for (const auto& name : AttestedByKeys(*r)) {
      auto key = signature::LoadKey(config_dir, name);
      if (!key.ok()) {
        return Wrap(std::move(key).error(),
                    "{} attested_by names key {} (add it with verifiedctl key add)", where, name);
      }
    }
  }
  return Ok();
}

}  // namespace

Status CheckPolicyKeys(const Policy& policy, const std::string& config_dir) {
  VERIFIED_RETURN_IF_ERROR(CheckKeys(policy.baseline, "the baseline", config_dir));
  for (const auto& rule : policy.rules) {
    VERIFIED_RETURN_IF_ERROR(CheckKeys(rule.requirements, rule.Describe(), config_dir));
  }
  return Ok();
}

}  // namespace verified
