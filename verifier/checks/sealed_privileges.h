// Sealed checks on the container's privileges: privileged mode, capabilities beyond the
// engine's default set, host PID/IPC/network namespaces, disabled seccomp or AppArmor, and a
// seccomp profile that lets forbidden syscalls through (see verifier/seccomp/profile_check.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/checks/sealed_options.h"

namespace verified {

/// Facts about the host the spec is judged against.
struct HostFacts {
  bool apparmor_enabled = false;  ///< the kernel enforces AppArmor
};

/// Reads the host's facts (/sys/module/apparmor/parameters/enabled).
HostFacts ProbeHost();

/// True when namespace file `path` (e.g. "/proc/123/ns/pid") is the same namespace of type
/// `type` ("pid", "ipc", "network", ...) as this process's, i.e. the host's.
bool IsHostNamespace(const std::string& path, const std::string& type);

/// Returns one sentence per violation (empty = none). Privileged mode is reported once,
/// instead of its parts (every capability, no masked paths, every device).
std::vector<std::string> CheckSealedPrivileges(const nlohmann::json& spec,
                                               const SealedOptions& options, const HostFacts& host);

}  // namespace verified
