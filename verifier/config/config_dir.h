// The config dir (default /etc/verified): policy.json, runtime.json, images/. Its paths and
// runtime.json live here; the policy's loader is policy/policy_file.h.
//
// Everything here decides what runs on the host, so the runtime refuses to trust it unless
// root (or the user running the tool) owns it and nobody else can write it.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/fs/trusted_file.h"

namespace verified {

/// Default config dir, overridden by --config-dir.
inline constexpr const char* kDefaultConfigDir = "/etc/verified";
/// Default decision log.
inline constexpr const char* kDefaultDecisionLog = "/var/log/verified/decisions.log";

/// Settings of the runtime binary (<config-dir>/runtime.json, optional).
struct RuntimeSettings {
  std::string runc;  ///< path of the real runc ("" = search PATH, skipping ourselves)
  std::string decision_log = kDefaultDecisionLog;
};

/// Path helpers.
std::string PolicyPath(const std::string& config_dir);
std::string RuntimeSettingsPath(const std::string& config_dir);

/// Largest runtime.json we read.
inline constexpr size_t kMaxRuntimeSettingsBytes = 64 * 1024;

/// Loads runtime.json; absent means defaults. A present file must be trusted like the policy
/// (config dir and file: no symlink, owned by root, not group/world-writable): otherwise
/// kPermission naming the file and the fix. Unreadable, unknown keys and wrong types are
/// errors too. Callers must not fall back to defaults on any error.
Result<RuntimeSettings> LoadRuntimeSettings(const std::string& config_dir);

/// Parses runtime.json text.
Result<RuntimeSettings> ParseRuntimeSettings(std::string_view text);

}  // namespace verified
