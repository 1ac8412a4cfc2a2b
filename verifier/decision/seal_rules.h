// The seal side of a create decision: the namespace-join rules (verifier/decision/ns_join.h),
// the refusal of a sealed restore, and the seal an allowed sealed container must leave.
// Used by Decide (verifier/decision/decide.h) only; exposed for its tests.
#pragma once

#include <optional>
#include <string>

#include "verifier/decision/decision.h"

namespace verified {

/// Where the seal rules look.
struct SealRulesInput {
  std::string container_id;
  std::string bundle_dir;       ///< read only when the decision has no spec yet
  std::string seal_dir;         ///< the host-wide seal index
  std::string runtime_root;     ///< runc's state root (for the own-pod-sandbox exception)
  bool judge_own_joins = true;  ///< false: rule 2 skipped (runc root unknown), and said
  bool restore = false;         ///< the command is `restore`
  bool sees_exec = true;        ///< false: an enforced seal needs verified-runtime's entry
};

/// True when a `sealed` requirement was evaluated for the verdict (passed or failed).
bool SealEvaluated(const Verdict& v);

/// Applies the rules to `d` and returns the step detail (one line). Rule 1: an allowed
/// container that joins a namespace a sealed container holds becomes an enforced deny of kind
/// kOthersSeal (its own rule and mode do not matter: the seal is the other container's); also
/// when its spec cannot be read while it would be allowed. Rule 2: a container sealed by its
/// rule that joins a namespace it may not fails its `sealed` requirement (enforced or audited
/// as its rule says; judged even when already refused, so that the log lists every reason).
/// Restore: a container its rule seals fails its `sealed` requirement (runc would take the
/// process's code and memory from --image-path, which no policy checked). Nothing is read for
/// a spec that joins no namespace. Without `sees_exec` (the OCI hook): an allowed container its
/// rule seals in enforce mode fails its `sealed` requirement unless the seal index holds the
/// rootfs entry verified-runtime wrote for this container id (same root.path identity), since
/// only the runtime wrapper can refuse `exec` into it; an index entry that cannot be read or
/// trusted fails it too.
std::string ApplySealRules(Decision& d, const SealRulesInput& in);

/// The seal `d` calls for: set when the container may run and a `sealed` requirement was
/// evaluated for it; `namespaces` from d.spec (empty without a spec).
std::optional<SealIntent> SealIntentFor(const Decision& d, const std::string& container_id);

}  // namespace verified
