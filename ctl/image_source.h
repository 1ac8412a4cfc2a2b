// Looking up an image in an engine for register/check, the way that engine's CLI finds it.
#pragma once

#include <string>

#include "ctl/context.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// Resolves `typed` (a name, name@digest or image ID) in the engine ctx.engine. For Docker:
/// through the API at DOCKER_HOST, then, when the daemon's overlay2 data root is readable
/// here, proven again from the store itself (image config hashed, layer chain walked) exactly
/// as the runtime will at create; on Docker's containerd image store, read from containerd's
/// files (namespace "moby") so that image_id is the config digest, as the runtime proves it
/// (an error, saying how to register through --engine containerd, when they are not
/// readable). kNotFound when the engine has no such image.
Result<ResolvedImage> LookupImage(const CtlContext& ctx, const std::string& typed);

/// True when Docker's /info says its images live in containerd (DriverStatus has
/// ["driver-type", "io.containerd.snapshotter.v1"]).
bool IsContainerdImageStore(const nlohmann::json& info);

/// Names an image should be registered under when the user typed `typed`: the normalised
/// name itself, or, for an image ID, every tag storage knows. kInvalidArgument when none.
Result<std::vector<std::string>> RegistrationNames(const ResolvedImage& img,
                                                   const std::string& typed);

}  // namespace verified::ctl
