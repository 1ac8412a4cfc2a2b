// The state dir (default /var/lib/verified): what the runtime itself must remember across
// calls and must not lose when the config dir is replaced. Set with `--state-dir DIR` on
// verified-runtime, verified-hook and verifiedctl, or VERIFIED_STATE_DIR, as the config dir is.
//
//   <state-dir>/policy-version   the signed policy's high-water mark (verifier/signedpolicy/)
//   <state-dir>/.lock            writers' lock
//
// It is never inside the config dir: a rollback replaces the config dir wholesale (a restored
// backup, a configuration-management run, an old image of /etc), and what protects against
// that must survive it. Root-owned, mode 0700, files 0600; trusted as policy.json is.
#pragma once

#include <string>

#include "verifier/core/result.h"

namespace verified {

/// Default state dir, overridden by --state-dir or VERIFIED_STATE_DIR.
inline constexpr const char* kDefaultStateDir = "/var/lib/verified";

/// Checks where `state_dir` is: kInvalidArgument when it is empty, or when it is the config dir
/// or inside it (compared after resolving symlinks in the parts that exist).
Status CheckStateDirPlacement(const std::string& state_dir, const std::string& config_dir);

/// The state dir ready for writing: CheckStateDirPlacement, then created (mode 0700, parents
/// 0755) when missing, then trusted (no symlink, owned by root or the effective user, not
/// writable by group or others: kPermission otherwise).
Status EnsureStateDir(const std::string& state_dir, const std::string& config_dir);

}  // namespace verified
