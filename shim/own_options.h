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
  /// --seal-dir: the host-wide seal index (default /run/verified/seals, or $VERIFIED_SEAL_DIR)
  std::string seal_dir;
  /// --state-dir: what the runtime remembers across calls, outside the config dir (default
  /// /var/lib/verified, or $VERIFIED_STATE_DIR; verifier/config/state_dir.h)
  std::string state_dir;
  size_t consumed = 0;  ///< how many leading args were ours
};

/// Parses leading `--config-dir DIR`, `--runc PATH`, `--seal-dir DIR`, `--state-dir DIR` (each
/// also as
/// `--x=v`). Stops at the first other argument. kInvalidArgument when a value is missing or
/// empty. `env_config_dir` (from VERIFIED_CONFIG_DIR, "" if unset) replaces the default: it
/// lets a hardened host's engines, which call plain `runc`, use a non-default config dir;
/// `env_seal_dir` (VERIFIED_SEAL_DIR) does the same for the seal index. Every engine's calls
/// must see the same seal dir: it is what lets one engine's container find another's seal.
/// `env_state_dir` (VERIFIED_STATE_DIR) replaces the state dir's default likewise: every
/// engine's calls must see the same signed-policy high-water mark.
Result<OwnOptions> ParseOwnOptions(const std::vector<std::string>& args,
                                   const std::string& env_config_dir,
                                   const std::string& env_seal_dir = "",
                                   const std::string& env_state_dir = "");

}  // namespace verified::shim
