// Finding the OCI bundle of a running container from its init process.
#pragma once

#include <sys/types.h>

#include <string>

#include "verifier/core/result.h"

namespace verified {

/// The bundle directory of the container whose init process is `pid`: the working directory
/// of its parent, which for containerd-shim-runc-v2 (Docker, containerd, Kubernetes) is the
/// bundle. Verified by the presence of config.json there. kNotFound otherwise.
Result<std::string> BundleOfInitPid(pid_t pid);

}  // namespace verified
