// Requirement "protect_host": refuse what turns `docker run` into root on the host or lets a
// container rewrite the policy or an image store (see host_exposure.h for the full list).
// Usable in a rule and, above all, as the host-wide baseline
// (`verifiedctl policy baseline protect_host`), which applies to every container whatever rule
// matched it. Needs the spec; `check IMAGE` reports it not evaluated.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true, or {"allow_read_only": ["/etc/ssl/certs", ...]}: absolute paths that may be
/// bind-mounted read-only although they are beneath a protected path (added to the defaults
/// /etc/localtime and /etc/timezone). false: not required.
Result<RequirementPtr> MakeProtectHost(const nlohmann::json& value);

}  // namespace verified
