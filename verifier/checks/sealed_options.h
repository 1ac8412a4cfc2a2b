// The options of the `sealed` requirement, parsed from its policy value:
//   true, or {"allow_args": false, "allow_env": false | true | ["NAME", "PREFIX_*"],
//             "allow_mounts": ["/host/path", ...], "allow_volumes": true,
//             "allow_capabilities": ["CAP_NET_ADMIN", ...],
//             "forbidden_syscalls": ["bpf", ...], "protect": ["/app/plugins", ...]}
// Unknown keys are errors: a typo must not silently weaken a seal.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified {

/// What a sealed image tolerates beyond its own configuration.
struct SealedOptions {
  bool allow_args = false;                      ///< other arguments after the image's entrypoint
  bool allow_any_env = false;                   ///< allow_env: true
  std::vector<std::string> allow_env;           ///< extra variable names (fnmatch globs)
  std::vector<std::string> allow_mounts;        ///< host paths (and beneath) that may be bound
  bool allow_volumes = true;                    ///< the engine's named volumes may be mounted
  std::vector<std::string> allow_capabilities;  ///< capabilities beyond the engine default
  std::vector<std::string> forbidden_syscalls;  ///< defaults + the policy's own
  std::vector<std::string> protect;             ///< image paths no mount may cover or enter
  nlohmann::json value;                         ///< the policy value as written
};

/// ptrace, process_vm_readv, process_vm_writev: always forbidden in a sealed container.
const std::vector<std::string>& DefaultForbiddenSyscalls();

/// Docker's default capability set (moby oci/caps/defaults.go), which a sealed container may
/// not exceed without allow_capabilities.
const std::vector<std::string>& EngineDefaultCapabilities();

/// Every Linux capability name this build knows (CAP_CHOWN .. CAP_CHECKPOINT_RESTORE).
const std::vector<std::string>& KnownCapabilities();

/// Parses the policy value. kInvalidArgument names the key at fault: unknown keys, wrong
/// types, relative paths, capability or syscall names that do not exist (syscalls are
/// checked with libseccomp).
Result<SealedOptions> ParseSealedOptions(const nlohmann::json& value);

}  // namespace verified
