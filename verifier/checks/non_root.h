// Requirement "non_root": the container does not run as root.
//
// Two halves, both required (seed 002's "never run as root"): the image declares a non-root
// USER (an image with no USER, "root", "0" or "0:<group>" declares root), and the process in
// the OCI spec the runtime received runs with a uid other than 0 (which catches
// `docker run --user root` of a well-behaved image). Without a spec only the image is checked.
#pragma once

#include <string>

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (false: not required).
Result<RequirementPtr> MakeNonRoot(const nlohmann::json& value);

/// True when an image config User value means uid 0: "", "root", "0", "root:<g>", "0:<g>"
/// (a numeric uid with leading zeros too). A user name other than root is not root: the
/// engine resolves it, and the spec's uid is checked at create.
bool ImageUserIsRoot(const std::string& user);

}  // namespace verified
