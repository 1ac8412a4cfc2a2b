// Requirement "sealed": a container of this image runs exactly what the image says and
// nothing can enter it (seed 003's "unenterable image"). At create the runtime refuses:
//   - an entrypoint other than the image's own, other arguments (unless allow_args), other
//     environment variables (unless allow_env), another working directory or user;
//   - bind mounts from the host other than the engine's own files, volumes and allow_mounts,
//     and any mount over or inside an image directory that holds executables (sealed_mounts.h);
//   - privileged mode, capabilities beyond the engine default, host PID/IPC/network
//     namespaces, disabled seccomp or AppArmor, a seccomp profile allowing ptrace,
//     process_vm_readv/writev or the rule's forbidden_syscalls (sealed_privileges.h).
// When the container passes, the runtime records the seal under runc's state root and
// refuses every later `exec` into it (verifier/seal/seal_record.h, shim/seal_guard.h).
// The image's own configuration comes from the engine's stored, hash-checked image config.
#pragma once

#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"

namespace verified {

/// The requirement's name, which the runtime looks for among a verdict's findings.
inline constexpr const char* kSealedRequirement = "sealed";

/// Value: true (false = not required) or an object of options (sealed_options.h).
Result<RequirementPtr> MakeSealed(const nlohmann::json& value);

}  // namespace verified
