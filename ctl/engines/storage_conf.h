// Finding Podman's containers/storage the way podman itself does, for verifiedctl.
//
// Order (containers/storage types/options.go, as root): the --root / --runroot options; else
// the [storage] table of $CONTAINERS_STORAGE_CONF, else /etc/containers/storage.conf, else
// /usr/share/containers/storage.conf; else /var/lib/containers/storage and
// /run/containers/storage.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::ctl {

inline constexpr const char* kDefaultGraphRoot = "/var/lib/containers/storage";
inline constexpr const char* kDefaultRunRoot = "/run/containers/storage";

/// Where the storage is and how that was decided.
struct StorageLocation {
  std::string graphroot;
  std::string runroot;
  std::string driver;  ///< "" when not configured (Podman then defaults to overlay)
  std::string source;  ///< "--root", the config file path, or "default"
};

/// Reads graphroot, runroot and driver from the [storage] table of storage.conf text. Only
/// the TOML needed for that is understood: table headers, comments, `key = "basic"` and
/// `key = 'literal'` strings; other lines are skipped. A wanted key that is not a string, an
/// unterminated string or a repeated key is kParse naming `what` and the line.
Result<StorageLocation> ParseStorageConf(std::string_view text, std::string_view what);

/// Applies the lookup order above. `env_conf` is $CONTAINERS_STORAGE_CONF ("" when unset);
/// `etc_conf` / `usr_conf` are the system paths (parameters for tests). A configured file
/// that cannot be read or parsed is an error, never silently skipped; a driver other than
/// overlay is kUnsupported.
Result<StorageLocation> FindPodmanStorage(
    const std::string& root_flag, const std::string& runroot_flag, const std::string& env_conf,
    const std::string& etc_conf = "/etc/containers/storage.conf",
    const std::string& usr_conf = "/usr/share/containers/storage.conf");

}  // namespace verified::ctl
