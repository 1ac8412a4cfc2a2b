// What `verifiedctl install` changed, so `uninstall` can undo exactly that.
// Stored as <config-dir>/install-state.json: {"docker": {...}, "containerd": {...}, ...}.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "verifier/core/result.h"

namespace verified::install {

/// Reads the state document ({} when absent).
Result<nlohmann::ordered_json> LoadInstallState(const std::string& config_dir);

/// Writes the state document atomically.
Status SaveInstallState(const std::string& config_dir, const nlohmann::ordered_json& state);

/// Sets (or with a null value, removes) "runc" in <config-dir>/runtime.json, keeping the rest.
Status SetRuntimeRunc(const std::string& config_dir, const std::string& runc_path);

/// Writes `content` to `path` atomically after copying the current file (if any) to
/// "<path>.verified-backup-<UTC timestamp>"; returns the backup path ("" when there was no
/// file to back up).
Result<std::string> ReplaceWithBackup(const std::string& path, const std::string& content);

}  // namespace verified::install
