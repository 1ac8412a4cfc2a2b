// The files containerd's CRI plugin itself puts into a Kubernetes container.
//
// containerd 1.6/1.7 (pkg/cri/server/container_create_linux.go containerMounts, helpers.go)
// bind-mounts, from the pod's sandbox:
//   <root>/io.containerd.grpc.v1.cri/sandboxes/<sandbox-id>/{hostname,hosts,resolv.conf}
//   <state>/io.containerd.grpc.v1.cri/sandboxes/<sandbox-id>/shm   (/dev/shm, unless host IPC)
// and an image's VOLUMEs from <root>/io.containerd.grpc.v1.cri/containers/<id>/volumes/<vol>.
// Plain `ctr run` binds nothing of containerd's own. (What the kubelet adds, such as its
// etc-hosts, service account tokens and termination log, is not containerd's.)
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/store/containerd/bbolt.h"
#include "verifier/store/containerd/containerd_root.h"
#include "verifier/store/engine_files.h"

namespace verified::containerd {

/// The CRI plugin's id, the name of its directory in containerd's root and state.
inline constexpr const char* kCriPluginId = "io.containerd.grpc.v1.cri";
/// The spec annotation naming a CRI container's pod sandbox (containerd annotations.SandboxID).
inline constexpr const char* kAnnotationSandboxId = "io.kubernetes.cri.sandbox-id";

/// What the resolver knows of a CRI container when it asks for its files.
struct CriContainer {
  std::string root;        ///< containerd's root
  TaskBundle bundle;       ///< the task bundle (containerd's state dir, namespace, id)
  std::string kind;        ///< the record's io.cri-containerd.kind label ("" when absent)
  bool sandbox = false;    ///< proven pod sandbox (IsPodSandbox)
  std::string sandbox_id;  ///< the spec's io.kubernetes.cri.sandbox-id annotation
};

/// CRI's own files for the container. None (and a note in `note`) unless the record's kind
/// label is "sandbox" or "container" and the sandbox id is proven: a 64-hex id that is the
/// container's own for a sandbox, or, for a container, the id of a container record in the same
/// namespace whose kind label is "sandbox" (read from `meta`). Errors only when meta.db cannot
/// be read; a sandbox id that does not check out is not an error, it just lists no files, so a
/// sealed container's binds are then refused (fail closed).
Result<EngineFiles> CriFiles(const bbolt::Db& meta, const CriContainer& c, std::string* note);

}  // namespace verified::containerd
