// Where a containerd keeps its root, found without its API.
//
// For a container being created: containerd's task manager makes the bundle
// <state>/io.containerd.runtime.v2.task/<ns>/<id> and links <bundle>/work to
// <root>/io.containerd.runtime.v2.task/<ns>/<id> (core/runtime/v2/bundle.go NewBundle). That
// link, written by containerd itself next to config.json, names the root of the very daemon
// that made the bundle, whatever its --root, --config or defaults were.
//
// For verifiedctl: the daemon listening on CONTAINERD_ADDRESS is found through the socket's
// inode (/proc/net/unix, then /proc/<pid>/fd); its root comes from its command line (--root,
// else `root = "..."` in its --config file, default /etc/containerd/config.toml), else
// containerd's default /var/lib/containerd.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>

#include "verifier/core/result.h"

namespace verified::containerd {

/// The parts of a runtime v2 task bundle path.
struct TaskBundle {
  std::string state_dir;  ///< containerd's --state
  std::string ns;
  std::string id;
};

/// Splits "<state>/io.containerd.runtime.v2.task/<ns>/<id>" (no trailing slash); nullopt for
/// any other shape.
std::optional<TaskBundle> ParseTaskBundle(const std::string& bundle_dir);

/// Reads <bundle>/work and returns the containerd root it points into. kNotFound when the link
/// is missing, kInconsistent when it does not end in io.containerd.runtime.v2.task/<ns>/<id>.
Result<std::string> RootFromBundle(const std::string& bundle_dir, const TaskBundle& tb);

/// The value of the top-level `root = "..."` key of a containerd config.toml (before the first
/// table header), "" when absent. Basic strings with \" and \\ escapes and literal strings.
Result<std::string> ConfigRoot(std::string_view toml);

/// The pid of the process listening on unix socket `path`; kNotFound when nobody does.
Result<pid_t> SocketOwner(const std::string& path);

/// The root of the containerd listening at `address` (a socket path), as described above.
/// `notes` gets one line saying how it was decided.
Result<std::string> RootOfDaemon(const std::string& address, std::string* note);

}  // namespace verified::containerd
