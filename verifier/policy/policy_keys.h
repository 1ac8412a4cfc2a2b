// The keys a policy's signed_by requirements name must exist in <config-dir>/keys.
//
// A rule naming a key the host does not have could never pass: every image it covers would be
// refused with a message about a missing file. Found when the policy is loaded (and by
// `verifiedctl policy lint`), it is a policy error that names the rule and the key.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/policy/policy.h"

namespace verified {

/// Finds (signature::LoadKeyFingerprint: present, trusted, one PEM or DER block) every key
/// named by a signed_by requirement of `policy`'s rules and baseline, without parsing it: the
/// key itself is judged when a signature is verified with it (`verifiedctl key add` judged it
/// already), so a create whose verification is cached pays no OpenSSL key set-up. Fails with
/// that error wrapped with the rule ("rule 2 'app/*' signed_by: key ci: ..."). Costs nothing
/// for a policy without signed_by.
Status CheckPolicyKeys(const Policy& policy, const std::string& config_dir);

}  // namespace verified
