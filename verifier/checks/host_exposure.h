// Host exposure: what in an OCI spec turns a container into root on the host, or lets it
// rewrite the policy or an engine's image store (used by the "protect_host" requirement).
//
//   - bind mounts of a protected path, of a directory that contains one, or (for most of
//     them) of anything beneath one: "/", /etc, /proc, /sys, /boot, /root, the system binary
//     dirs (beneath them only when writable), every engine data root and state dir, the
//     verified config dir, engine API sockets (docker.sock, containerd.sock, podman.sock,
//     crio.sock) wherever they are;
//   - host device nodes (bind-mounted, or passed in linux.devices beyond /dev/null & co);
//   - privileged mode (every device allowed), CAP_SYS_ADMIN, the host PID namespace.
//
// Bind sources are resolved with realpath first, so a symlink to / is seen as /, and compared by
// inode with the protected paths, so the same directory bind-mounted elsewhere is too. The engines'
// own per-container mounts beneath their data roots (hosts, hostname, resolv.conf, shm, named
// volumes) are not exposures.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/core/result.h"

namespace verified {

/// How much of a protected path's subtree is protected too.
enum class Descend {
  kNone,      ///< only the path itself (and its ancestors): "/", "/dev"
  kWritable,  ///< beneath it, writable mounts only: /usr, /bin ...
  kAny,       ///< beneath it, any mount (unless allowed read-only): /etc, data roots ...
};

/// One protected host path.
struct ProtectedPath {
  std::string path;  ///< absolute, symlinks resolved when it exists
  std::string what;  ///< "the engine data root", for messages
  Descend descend = Descend::kAny;
  bool engine = false;  ///< an engine data root/state dir (its own per-container files pass)
  /// Identity of the path when it exists, so that a bind mount of it somewhere else (a
  /// volume whose _data is /etc, an admin's bind of / at /mnt/host) is recognised too.
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
};

/// What to protect, built by BuildHostProtection.
struct HostProtection {
  std::vector<ProtectedPath> paths;
  /// Paths that may be bind-mounted read-only although beneath a protected path.
  std::vector<std::string> allow_read_only;
  /// The PID namespace link of the host, compared with a spec's pid namespace path.
  std::string host_pid_ns = "/proc/self/ns/pid";
};

/// The standard protection: the fixed system and engine paths, plus `store_root` (the data
/// root the image was resolved from, "" when unknown) and `config_dir` (verified's own), and
/// `allow_read_only` entries (absolute paths).
HostProtection BuildHostProtection(const std::string& store_root, const std::string& config_dir,
                                   const std::vector<std::string>& allow_read_only);

/// Every exposure in `spec`, one sentence each; empty when there is none. kParse when the spec
/// is malformed where it matters (the caller fails closed).
Result<std::vector<std::string>> FindHostExposures(const Spec& spec, const HostProtection& hp);

/// Lexically normalises an absolute path: collapses "//", "." and "..". Exposed for tests.
std::string NormalisePath(const std::string& path);

/// True for an engine's own per-container file or a named volume beneath a data root
/// (docker containers/<id>/hosts, podman overlay-containers/<id>/userdata/shm,
/// volumes/<name>/_data ...). Exposed for tests.
bool IsEngineOwnedPath(const std::string& path);

}  // namespace verified
