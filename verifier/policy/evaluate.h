// Evaluation: policy + resolved image (+ container spec) -> Verdict.
//
// A verdict is data. Denials are not errors; errors reading state become failed findings so
// the decision fails closed.
#pragma once

#include <string>
#include <vector>

#include "verifier/checks/requirement.h"
#include "verifier/policy/policy.h"
#include "verifier/registry/registration_store.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// The decision for one container or image.
struct Verdict {
  Action decision = Action::kDeny;  ///< what the policy says
  Mode mode = Mode::kEnforce;
  std::string image;     ///< display name: as typed, else a stored name, else the image ID
  std::string image_id;  ///< "sha256:..." when resolved
  std::string rule;      ///< the deciding rule ("rule 2 'x/*'", "default", "baseline", "error")
  std::string reason;    ///< one sentence: why denied (or "allowed by ...")
  std::vector<Finding> findings;

  /// True when the container may run: allowed, or denied in audit mode.
  bool Allowed() const { return decision == Action::kAllow || mode == Mode::kAudit; }
};

/// The names an image is matched by, and whether the first is a tag the user typed.
struct MatchNames {
  std::vector<Reference> names;
  bool typed_by_name = false;
};

/// Computes the names rules are matched against: the typed tag when storage confirms it,
/// otherwise the names storage maps to the image, and only when it has none, the names
/// registered with exactly its layer chain.
Result<MatchNames> CandidateNames(const ResolvedImage& image, const RegistrationStore& regs);

/// Evaluates `policy` for `image`. `spec` is the container's OCI spec, or nullptr when an
/// image is checked on its own (requirements that need it report kNotEvaluated).
Verdict Evaluate(const Policy& policy, const ResolvedImage& image, const Spec* spec,
                 const RegistrationStore& regs);

/// The verdict for a container whose image could not be resolved or whose policy could not be
/// read: deny (or audit-allow when `mode` is audit), naming the error.
Verdict VerdictForError(const Error& error, Mode mode, std::string image);

/// The one-line message a refused user sees, starting with "verified: ".
std::string RefusalMessage(const Verdict& v);

}  // namespace verified
