// The config half of "registered": a registration binds its image's config (the image ID is
// the config digest), not only its layer chain.
//
// `docker build` of `FROM app:1` plus only ENTRYPOINT / ENV LD_PRELOAD=... / USER / LABEL /
// HEALTHCHECK lines runs no container and adds no layer: the result has the registered chain
// and another config, which `sealed`, `labels`, `healthcheck`, `non_root` and `max_age_days`
// would otherwise judge as if it were the approved image. Only a registration made with
// `verifiedctl register --layers-only` accepts any config over its chain.
#pragma once

#include <string>

#include "verifier/registry/registration.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// True when `r` stands for exactly `image`: the same layer chain and, unless r.layers_only,
/// the same config digest (r.image_id == image.image_id, neither empty).
bool RegistrationBindsImage(const Registration& r, const ResolvedImage& image);

/// Why `r`, whose chain equals the image's, does not bind the image's config, as a sentence
/// for the refusal: both config digests and, from the compact copy stored in `r`, the fields
/// that differ ("changed: entrypoint, env (LD_PRELOAD added)"). A record written before
/// configs were bound says how to re-register instead. `familiar` is the registered name as
/// shown to people. Empty when RegistrationBindsImage holds.
std::string ConfigDifference(const Registration& r, const ResolvedImage& image,
                             const std::string& familiar);

}  // namespace verified
