// What the decision needs to know about runc's own state: where it keeps its containers and
// which container ids it accepts (libcontainer's rules).
#pragma once

#include <string>

namespace verified {

/// runc's state root for a `--root` value: `root_flag` when set, else runc's default
/// ($XDG_RUNTIME_DIR/runc for a non-root user when that is set, /run/runc otherwise; runc
/// main.go). Never fails.
std::string RuncStateRoot(const std::string& root_flag);

/// True when `id` is a valid runc container id (runc's `^[\w+-\.]+$`, not "." or "..", at
/// most 1024 bytes), so that it is safe as one path component under the state root.
bool IsValidContainerId(const std::string& id);

}  // namespace verified
