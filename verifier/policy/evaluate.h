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

/// What kind of thing decided a verdict. Code branches on this, never on the display text in
/// Verdict::rule (which the decision log and the CLI show, and which may change).
enum class RuleKind {
  kRule,         ///< a policy rule (Verdict::rule_index says which)
  kDefault,      ///< the policy default (no rule matched)
  kBaseline,     ///< a requirement of the host baseline failed
  kError,        ///< the decision could not be made (policy, spec, store...): fail closed
  kOthersSeal,   ///< the seal of another container (a namespace join, verifier/decision/ns_join.h)
  kCheckOption,  ///< a `verifiedctl check --require` what-if requirement
  kImageList,    ///< a `verifiedctl audit` whitelist or blacklist (no policy involved)
};

/// The decision for one container or image.
struct Verdict {
  Action decision = Action::kDeny;  ///< what the policy says
  Mode mode = Mode::kEnforce;
  std::string image;     ///< display name: as typed, else a stored name, else the image ID
  std::string image_id;  ///< "sha256:..." when resolved
  std::string rule;      ///< the deciding rule ("rule 2 'x/*'", "default", "baseline", "error")
  RuleKind kind = RuleKind::kError;  ///< what `rule` is, for code
  size_t rule_index = 0;             ///< kRule: the rule's 1-based position in the policy
  std::string reason;                ///< one sentence: why denied (or "allowed by ...")
  std::vector<Finding> findings;

  /// True when the container may run: allowed, or denied in audit mode.
  bool Allowed() const { return decision == Action::kAllow || mode == Mode::kAudit; }
};

/// Where a name the image goes by comes from.
enum class NameSource {
  kTyped,       ///< the reference the container was started with (confirmed or not)
  kStored,      ///< a name the engine's storage maps to the image now
  kRegistered,  ///< a name registered with exactly the image's layer chain
};

/// One name of the image.
struct CandidateName {
  Reference ref;
  NameSource source = NameSource::kStored;
  /// True when rules are chosen by this name (allow and deny alike); false for a name only
  /// deny rules are tried on.
  bool selects = true;
};

/// The names an image is matched by, and whether the first is a tag the user typed.
struct MatchNames {
  std::vector<CandidateName> names;  ///< selecting names first, in order; no duplicates
  bool typed_by_name = false;        ///< names.front() is the confirmed typed tag
};

/// Computes the names rules are matched against. Selecting names: the typed tag when
/// storage confirms it, otherwise the names storage maps to the image, and only when it has
/// none, the names registered with exactly its layer chain. Every other name the image goes
/// by (storage's other names, an unconfirmed typed name) follows as non-selecting: tags are
/// labels anyone who can run `docker tag` adds, so deny rules are tried on all of them. Fails
/// only when a confirmed typed name does not parse or registrations cannot be read.
Result<MatchNames> CandidateNames(const ResolvedImage& image, const RegistrationStore& regs);

/// Evaluates `policy` for `image`. The first rule (in policy order) that matches a selecting
/// name decides, as before; but a deny rule wins whenever it is the first rule matching ANY
/// of the image's names (selecting or not), so `docker tag evil/x fine/x` cannot step around
/// `deny evil/*`, while an allow rule written before a deny rule still carves out the names
/// it matches. The refusal names the deny rule and the name it matched. `spec` is the
/// container's OCI spec, or nullptr when an image is checked on its own (requirements that
/// need it report kNotEvaluated). `cache` says where signature verifications may be cached
/// (none by default).
Verdict Evaluate(const Policy& policy, const ResolvedImage& image, const Spec* spec,
                 const RegistrationStore& regs, const VerificationCacheAccess& cache = {});

/// The verdict for a container whose image could not be resolved or whose policy could not be
/// read: deny (or audit-allow when `mode` is audit), naming the error.
Verdict VerdictForError(const Error& error, Mode mode, std::string image);

/// The one-line message a refused user sees, starting with "verified: ".
std::string RefusalMessage(const Verdict& v);

}  // namespace verified
