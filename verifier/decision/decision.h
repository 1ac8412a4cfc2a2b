// Decision: everything one create decision found, in one value. Made by verifier/decision/
// decide.h and nowhere else; nothing after it changes the verdict.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/policy/evaluate.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// One step of a decision and what it took (for the runtime's --debug trace).
struct DecisionStep {
  std::string name;  ///< one of kDecisionStepNames
  int64_t elapsed_us = 0;
  std::string detail;  ///< one short line: what the step found ("not run: ..." when skipped)
};

/// The steps of every decision, in order. Decision::steps has exactly one entry per name.
inline constexpr std::array<const char*, 6> kDecisionStepNames = {
    "policy", "spec", "mount", "store", "checks", "namespace joins"};

/// What must be recorded for an allowed sealed container before runc runs (the seal record in
/// runc's root and, in enforce mode, the host-wide seal index entry of its rootfs).
struct SealIntent {
  std::string container_id;
  std::string image;           ///< display name, as in the verdict
  std::string image_id;        ///< "sha256:..."
  std::string rule;            ///< display text of the rule that sealed it
  Mode mode = Mode::kEnforce;  ///< audit: exec is logged, not refused
  /// Namespace types the container creates itself (spec entries without a path).
  std::vector<std::string> namespaces;
};

/// Everything the decision log records, and what the caller acts on.
struct Decision {
  Verdict verdict;
  std::string engine;  ///< resolver that proved the image ("" when none did)
  std::string top_chain_id;
  std::string policy_digest;  ///< "" when the policy could not be loaded
  /// The registration files the evaluation read and the digests of their bytes (or absent):
  /// with policy_digest, the whole configuration state the verdict was made under. Empty when
  /// the evaluation read none (no rule needed a registration, or it never ran).
  RegistrationReads registrations;
  /// The signed-policy status (SignedPolicyCheck::Summary) when the host requires a signed
  /// policy (<config-dir>/policy-keys/ holds a key); "" when it does not.
  std::string policy_signature;
  int64_t elapsed_us = 0;
  /// The bundle's spec as the decision read it (null when it could not be read or there is
  /// none), so that the caller need not parse it again.
  std::shared_ptr<const Spec> spec;
  std::string rootfs;                  ///< resolved root.path ("" when it could not be resolved)
  std::optional<ResolvedImage> image;  ///< the proven image (unset when none was proven)
  /// Set when the container may run and a `sealed` requirement was evaluated for it.
  std::optional<SealIntent> seal;
  std::vector<DecisionStep> steps;  ///< one per kDecisionStepNames entry, in that order
  /// What a decision about an existing container skipped or could not read without failing
  /// (no bundle, no mount cross-check...), for explain and audit. Empty for creates.
  std::vector<std::string> notes;
};

}  // namespace verified
