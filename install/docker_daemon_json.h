// Registering verified in Docker's daemon.json: merged, never clobbered, reversible.
//
//   {"runtimes":{"verified":{"path":"/usr/local/bin/verified-runtime",
//                            "runtimeArgs":["--config-dir=/etc/verified"]}},
//    "default-runtime":"verified"}
#pragma once

#include <optional>
#include <string>

#include "verifier/core/result.h"

namespace verified::install {

/// What `verifiedctl install docker` writes.
struct DockerRuntimeEntry {
  std::string name = "verified";
  std::string runtime_path = "/usr/local/bin/verified-runtime";
  std::string config_dir = "/etc/verified";
  /// Passed as --state-dir only when not the default (verifier/config/state_dir.h).
  std::string state_dir = "/var/lib/verified";
  bool set_default = false;
};

/// Result of a merge: the new file text and the default runtime it replaced.
struct DaemonJsonMerge {
  std::string text;
  std::optional<std::string> previous_default;  ///< nullopt when no default-runtime was set
};

/// Adds (or updates) the runtime entry in daemon.json text ("" = no file yet), keeping every
/// other key and its order. kParse when the existing text is not a JSON object; the caller
/// then changes nothing.
Result<DaemonJsonMerge> MergeDaemonJson(std::string_view existing, const DockerRuntimeEntry& e);

/// Removes the runtime entry; when default-runtime names it, restores `previous_default`
/// (or removes the key). Other keys are untouched.
Result<std::string> UnmergeDaemonJson(std::string_view existing, const std::string& name,
                                      const std::optional<std::string>& previous_default);

}  // namespace verified::install
