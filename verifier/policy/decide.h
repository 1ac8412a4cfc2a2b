// DecideCreate: the whole create-path decision, from bundle to verdict.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/policy/evaluate.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// What the runtime parsed from its command line.
struct CreateRequest {
  std::string container_id;
  std::string bundle_dir;  ///< absolute
  std::string config_dir;
  /// Mount table to use: "" = the live kernel (statmount of root.path, else mountinfo); a
  /// path = a mountinfo-format file (tests).
  std::string mountinfo_path;
};

/// One timed step of a create decision, for the runtime's --debug trace.
struct DecisionStep {
  std::string name;  ///< "policy", "spec", "mount", "store", "checks", in that order
  int64_t elapsed_us = 0;
  std::string detail;  ///< what the step found (or the error that ended the decision)
};

/// Everything the decision log records.
struct Decision {
  Verdict verdict;
  std::string engine;  ///< resolver that proved the image ("" when none did)
  std::string top_chain_id;
  std::string policy_digest;  ///< "" when the policy could not be loaded
  int64_t elapsed_us = 0;
  /// The bundle's spec as the decision read it (null when it could not be read), so that
  /// later create-path checks (namespace joins, seals) need not parse it again.
  std::shared_ptr<const Spec> spec;
  std::string rootfs;  ///< resolved root.path ("" when it could not be resolved)
  /// The steps taken, in order; a step that fails is the last one (its detail is the error).
  std::vector<DecisionStep> steps;
};

/// Loads the policy, the bundle spec and the mount table, resolves the image through every
/// store and evaluates the policy. Never fails: any error becomes a deny verdict (or an
/// audit-mode allow when the policy says audit) naming what to fix.
Decision DecideCreate(const CreateRequest& req);

}  // namespace verified
