// verified-runtime's own options. They come before runc's, because Docker's runtimeArgs are
// inserted right after the binary: ["--config-dir=/etc/verified"] + runc's own argv.
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::shim {

/// Our options and where runc's arguments start.
struct OwnOptions {
  std::string config_dir;  ///< --config-dir (default /etc/verified, or $VERIFIED_CONFIG_DIR)
  std::string runc;        ///< --runc: path of the real runc (overrides runtime.json)
  size_t consumed = 0;     ///< how many leading args were ours
};

/// Parses leading `--config-dir DIR`, `--config-dir=DIR`, `--runc PATH`, `--runc=PATH`.
/// Stops at the first other argument. kInvalidArgument when a value is missing or empty.
/// `env_config_dir` (from VERIFIED_CONFIG_DIR, "" if unset) replaces the default: it lets a
/// hardened host's engines, which call plain `runc`, use a non-default config dir.
Result<OwnOptions> ParseOwnOptions(const std::vector<std::string>& args,
                                   const std::string& env_config_dir);

}  // namespace verified::shim
