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
  /// Capability numbers this process's bounding set lacks (from /proc/self/status CapBnd):
  /// no engine can grant them, so "every capability" means every one but these.
  std::vector<size_t> missing_capabilities;
};

/// Reads the host's facts (/sys/module/apparmor/parameters/enabled, /proc/self/status).
HostFacts ProbeHost();

/// True when namespace file `path` (e.g. "/proc/123/ns/pid") is the same namespace of type
/// `type` ("pid", "ipc", "network", ...) as this process's, i.e. the host's.
bool IsHostNamespace(const std::string& path, const std::string& type);

/// Returns one sentence per violation (empty = none). Privileged mode is reported once,
/// instead of its parts (every capability, no masked paths, every device).
std::vector<std::string> CheckSealedPrivileges(const nlohmann::json& spec,
                                               const SealedOptions& options, const HostFacts& host);

}  // namespace verified
