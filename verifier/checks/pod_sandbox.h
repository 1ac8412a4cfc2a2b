// Requirement "pod_sandbox": whether the container is a Kubernetes pod sandbox (pause).
//
// Pod sandboxes get no bypass: the sandbox image must be allowed by a rule like any other.
// This requirement lets that rule say more: {"match": "registry.k8s.io/pause", "action":
// "allow", "require": {"registered": true, "pod_sandbox": true}} allows the pause image only
// as a pod's sandbox, never as an application container; "pod_sandbox": false keeps a rule
// from ever admitting a sandbox. "Sandbox" is what the store proves (ResolvedImage::
// pod_sandbox: CRI's io.kubernetes.cri.container-type annotation agreeing with the engine's
// own record), never the annotation alone.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: true (must be a proven pod sandbox) or false (must not be one). Checking an image
/// without a container gives kNotEvaluated.
Result<RequirementPtr> MakePodSandbox(const nlohmann::json& value);

}  // namespace verified
