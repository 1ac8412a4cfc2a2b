// The hooks.d file that makes Podman and CRI-O run verified-hook for every container.
//
// Both engines read OCI hook configuration files from hooks directories (containers/common
// pkg/hooks, schema 1.0.0, docs/oci-hooks.5.md): an OCI hook (path, args, timeout), when to
// add it, and the stages. `when: always` adds it to every container, whatever its annotations,
// command or mounts: no caller-supplied field can skip it.
//
//   /usr/share/containers/oci/hooks.d/verified.json
//   {"version":"1.0.0",
//    "hook":{"path":"/usr/local/bin/verified-hook",
//            "args":["verified-hook","--config-dir","/etc/verified",
//                    "--seal-dir","/run/verified/seals"],"timeout":60},
//    "when":{"always":true},"stages":["createRuntime"]}
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/seal/seal_index.h"

namespace verified::install {

/// Podman's and CRI-O's default hooks directory (both also read /etc/containers/oci/hooks.d
/// in Podman's case; CRI-O's hooks_dir in crio.conf lists the first by default).
inline constexpr const char* kDefaultHooksDir = "/usr/share/containers/oci/hooks.d";
/// Our file's name in a hooks directory.
inline constexpr const char* kHookFileName = "verified.json";
/// Default hook timeout: the runtime kills a hook past it and fails the create, which is the
/// backstop for a decision that hangs (a stuck NFS config dir, a FIFO as decision log).
inline constexpr int kDefaultHookTimeoutSeconds = 60;

/// What the hooks.d file runs.
struct OciHookConfig {
  std::string hook_path = "/usr/local/bin/verified-hook";
  std::string config_dir = "/etc/verified";
  /// The seal index: must be verified-runtime's, or the hook cannot see the seals it records.
  std::string seal_dir = kDefaultSealDir;
  /// The state dir (signed-policy high-water mark): verified-runtime's; passed when not the
  /// default.
  std::string state_dir = "/var/lib/verified";
  int timeout_seconds = kDefaultHookTimeoutSeconds;
  std::string stage = "createRuntime";
};

/// The hooks.d JSON text (schema 1.0.0, one line per key as above, ending in '\n').
/// kInvalidArgument when a path is not absolute or holds a newline, the timeout is not in
/// 1..3600 seconds, or the stage is not createRuntime or prestart (the two stages that run
/// in the runtime's namespace before the container's process starts).
Result<std::string> OciHookConfigText(const OciHookConfig& c);

}  // namespace verified::install
