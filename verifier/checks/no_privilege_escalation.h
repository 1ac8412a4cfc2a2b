// Requirement "no_privilege_escalation": the process cannot gain privileges.
//
// On the OCI spec the runtime received: process.noNewPrivileges is set (docker run
// --security-opt no-new-privileges), no capability beyond the engine default set (Docker's
// 14) and the rule's own list was added (--cap-add), and the container is not privileged
// (every device allowed, as --privileged writes). Needs the spec; `check IMAGE` reports it
// not evaluated.
#pragma once

#include <set>
#include <string>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true, or a list of capabilities allowed beyond the default set
/// (["NET_ADMIN"]; names with or without "CAP_", any case). false: not required.
Result<RequirementPtr> MakeNoPrivilegeEscalation(const nlohmann::json& value);

/// The capabilities Docker, containerd and CRI-O grant by default (moby
/// oci/caps/defaults.go DefaultCapabilities), as "CAP_X".
const std::set<std::string>& DefaultCapabilities();

}  // namespace verified
