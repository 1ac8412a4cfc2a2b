// Requirement "read_only_rootfs": the container's root filesystem is mounted read-only
// (root.readonly in the OCI spec, set by docker run --read-only). Needs the spec.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false: not required).
Result<RequirementPtr> MakeReadOnlyRootfs(const nlohmann::json& value);

}  // namespace verified
