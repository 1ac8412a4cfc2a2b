// Namespace joins and sealed containers (docs/sealed.md, "Shared namespaces").
//
// Two rules, both decided at create from the bundle's spec and the host-wide seal index
// (verifier/seal/seal_index.h), whatever engine or runc --root the container comes from:
//  1. Nothing joins a namespace that a sealed container created (`docker run
//     --pid=container:SEALED`, `podman run --pid=ns:/proc/<sealed pid>/ns/pid`, kubectl debug
//     --target): a process there could read the sealed process's files, memory maps and
//     environment through /proc/<pid>/.
//  2. A sealed container joins no PID, IPC, UTS, network or mount namespace of another
//     container (`docker run --pid=container:HUB sealed`: a later container joining HUB would
//     see it), except the IPC/UTS/network namespaces of its own Kubernetes pod's sandbox,
//     proven as described at JoinOwnPodSandbox, and a bind-mounted network namespace file
//     (an engine's per-container network: Podman's /run/netns/netns-*) that no sealed
//     container holds.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/seal/seal_index.h"
#include "verifier/seal/seal_record.h"

namespace verified {

/// One linux.namespaces entry with a path: the container joins that namespace.
struct NsJoin {
  std::string type;  ///< OCI type: "pid", "network", "ipc", "uts", "mount", ...
  std::string path;
};

/// The namespaces a spec joins (entries with a path), in spec order.
std::vector<NsJoin> JoinedNamespaces(const Spec& spec);

/// The namespace types a spec creates (entries without a path).
std::vector<std::string> CreatedNamespaces(const Spec& spec);

/// The file under /proc/<pid>/ns/ for an OCI namespace type ("network" -> "net").
std::string NamespaceFile(const std::string& type);

/// Whether an index entry still describes a live sealed container: a ns- entry when its
/// container's init process is still in that namespace; a root- entry when runc still keeps
/// the container (<runc_root>/<id>) or the entry is younger than `grace_seconds` (written at
/// create, before runc made the directory). A stale entry is one whose dev/ino may now name
/// something else; it must not refuse unrelated containers.
bool SealEntryLive(const std::string& name, const SealEntry& e, long grace_seconds);

/// Rule 1: the refusal reason (a sentence without the "verified: refused" prefix) when one of
/// `joins` enters a namespace that a sealed container (enforce mode) created; nullopt
/// otherwise. Fails closed: a joined path that cannot be examined, a bind-mounted namespace
/// path in a directory others may change (it could be swapped after the check), or an index
/// that cannot be trusted refuses. Costs nothing for a spec that joins nothing; per join one
/// stat and one open, plus for /proc/<pid>/ns/<type> paths one stat of /proc/<pid>/root and
/// one open.
std::optional<std::string> JoinsSealedNamespace(const std::vector<NsJoin>& joins,
                                                const std::string& seal_dir);

/// Rule 2, for a container that is being sealed: the refusal reason when it joins a namespace
/// it may not; nullopt otherwise. `runc_root` is where its pod sandbox's runc state is.
std::optional<std::string> SealedJoinRefusal(const Spec& spec, const std::vector<NsJoin>& joins,
                                             const std::string& runc_root);

/// True when `join` is the IPC, UTS or network namespace of the Kubernetes pod sandbox that
/// `spec` (a CRI container: io.kubernetes.cri.container-type "container") names in
/// io.kubernetes.cri.sandbox-id: that sandbox is kept by runc under `runc_root`, runc's record
/// of it carries io.kubernetes.cri.container-type=sandbox (which the sandbox's own create
/// proved against containerd's record, see verifier/checks/pod_sandbox.h), and `join.path` is
/// the same namespace as its init process's.
bool JoinOwnPodSandbox(const Spec& spec, const NsJoin& join, const std::string& runc_root);

}  // namespace verified
