// Requirement "base": the image is built on a registered base image, i.e. its layer chain
// begins with the complete chain registered for the named base (seed 001's planned check that
// "the base image used in the Dockerfile is the expected one").
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// Value: an image reference string ("alpine:3.20"), normalised at policy load.
Result<RequirementPtr> MakeBaseImage(const nlohmann::json& value);

}  // namespace verified
