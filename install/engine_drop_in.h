// Registering verified with Podman and CRI-O through configuration drop-in files.
//
// Both engines merge every *.conf of a drop-in directory over their main file, so a file of
// our own adds the runtime without touching anything the administrator wrote; uninstall
// deletes it. No TOML library: the few lines are written here, strings escaped per TOML.
//
//   Podman  /etc/containers/containers.conf.d/verified.conf
//     [engine.runtimes]
//     verified = ["/usr/local/bin/verified-runtime"]
//   CRI-O   /etc/crio/crio.conf.d/99-verified.conf
//     [crio.runtime.runtimes.verified]
//     runtime_path = "/usr/local/bin/verified-runtime"
//     runtime_type = "oci"
//     runtime_root = "/run/verified-runc"
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "verifier/core/result.h"

namespace verified::install {

inline constexpr const char* kPodmanDropIn = "/etc/containers/containers.conf.d/verified.conf";
inline constexpr const char* kCrioDropIn = "/etc/crio/crio.conf.d/99-verified.conf";

/// What the drop-in registers.
struct RuntimeDropIn {
  std::string name = "verified";  ///< runtime / handler name: [a-z0-9_-]+
  std::string runtime_path = "/usr/local/bin/verified-runtime";
  std::string config_dir = "/etc/verified";
  std::string state_dir = "/var/lib/verified";      ///< the signed-policy high-water mark's dir
  bool set_default = false;                         ///< also make it the engine's default runtime
  std::string runtime_root = "/run/verified-runc";  ///< CRI-O: runc state directory
};

/// A TOML basic string ("..." with \\, \", control characters escaped).
std::string TomlQuote(std::string_view s);

/// The Podman containers.conf drop-in text. kInvalidArgument for a bad name or a path that
/// is not absolute.
Result<std::string> PodmanDropInText(const RuntimeDropIn& d);

/// The CRI-O crio.conf drop-in text. With a non-default config dir the handler's monitor_env
/// carries VERIFIED_CONFIG_DIR (conmon passes its environment to the runtime).
Result<std::string> CrioDropInText(const RuntimeDropIn& d);

/// Copies `content` (the current text of `path`) to a new file in `backup_dir` (never the
/// drop-in directory: CRI-O loads every file there) and returns its path.
Result<std::string> SaveBackup(const std::string& backup_dir, const std::string& path,
                               const std::string& content);

/// Writes `text` to `path` and records it in `state` (an object: path, sha256 of the text,
/// the backup of a foreign file that was there before). A foreign or edited file at `path`
/// is first copied into `backup_dir`; rewriting our own unedited file makes no copy. Returns
/// the new backup path ("" when none was made).
Result<std::string> WriteDropIn(const std::string& path, const std::string& text,
                                const std::string& backup_dir, nlohmann::ordered_json& state);

/// Undoes WriteDropIn as recorded in `state`: the file it replaced is put back, or else the
/// drop-in is deleted; a drop-in edited since install is first copied into `backup_dir`.
/// Nothing changes when the recorded backup cannot be read. Returns a line per action.
Result<std::vector<std::string>> RemoveDropIn(const nlohmann::ordered_json& state,
                                              const std::string& backup_dir);

}  // namespace verified::install
