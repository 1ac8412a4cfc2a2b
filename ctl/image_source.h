// Looking up an image in an engine for register/check, the way that engine's CLI finds it.
#pragma once

#include <string>

#include "ctl/context.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// Resolves `typed` (a name, name@digest or image ID) in the engine ctx.engine. For Docker:
/// through the API at DOCKER_HOST, then, when the daemon's overlay2 data root is readable
/// here, proven again from the store itself (image config hashed, layer chain walked) exactly
/// as the runtime will at create. kNotFound when the engine has no such image.
Result<ResolvedImage> LookupImage(const CtlContext& ctx, const std::string& typed);

/// Names an image should be registered under when the user typed `typed`: the normalised
/// name itself, or, for an image ID, every tag storage knows. kInvalidArgument when none.
Result<std::vector<std::string>> RegistrationNames(const ResolvedImage& img,
                                                   const std::string& typed);

}  // namespace verified::ctl
