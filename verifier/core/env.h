// The one accessor of environment variables, for the binaries (verified-runtime, verifiedctl,
// the hook). Library code never reads the environment: it takes such values as parameters, so
// that a decision depends only on what its caller passed.
#pragma once

#include <string>

namespace verified {

/// The value of the environment variable `name`, or `fallback` when it is unset or empty (the
/// binaries treat an empty VERIFIED_CONFIG_DIR, PATH or DOCKER_HOST as not given). Never fails.
std::string EnvOr(const char* name, std::string fallback = "");

}  // namespace verified
