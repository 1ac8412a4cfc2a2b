// containerd with the overlayfs snapshotter: Kubernetes (CRI) and plain containerd
// (`ctr run`, nerdctl), the runtime started by containerd-shim-runc-v2.
//
// The bundle is <state>/io.containerd.runtime.v2.task/<ns>/<id> and root.path is its
// "rootfs", already mounted by the shim. The identity chain, every link cross-checked:
//   bundle work link -> containerd root -> meta.db container record <ns>/<id> (snapshotter,
//   snapshotKey) -> snapshot lineage in meta.db and in the overlayfs metadata.db (ids) ->
//   client keys below the container's snapshot = the image's chainIDs -> the image record and
//   content blobs (hashed) whose config has exactly those chainIDs -> the overlay mounted at
//   root.path is exactly snapshots/<id>/fs of the container over the chain.
// Names: io.kubernetes.cri.image-name (or, for a pod sandbox,
// io.kubernetes.cri.podsandbox.image-name) and the container record's image name count only
// when their image record resolves to that same config; otherwise names come from storage.
#pragma once

#include <string>

#include "verifier/store/store.h"

namespace verified {

/// Resolver for containerd's overlayfs snapshotter (CRI and plain containerd).
class ContainerdStore : public Store {
 public:
  std::string Name() const override { return "containerd"; }
  /// Not mine unless the bundle is a runtime v2 task bundle and root.path is its rootfs; then
  /// every mismatch is an error.
  Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const override;
};

namespace containerd {

/// CRI's annotations and labels (containerd internal/cri/annotations, labels).
inline constexpr const char* kAnnotationImageName = "io.kubernetes.cri.image-name";
inline constexpr const char* kAnnotationSandboxImageName =
    "io.kubernetes.cri.podsandbox.image-name";
inline constexpr const char* kAnnotationContainerType = "io.kubernetes.cri.container-type";
inline constexpr const char* kLabelKind = "io.cri-containerd.kind";

/// Decides whether a container is a Kubernetes pod sandbox: the spec annotation
/// io.kubernetes.cri.container-type and containerd's record label io.cri-containerd.kind must
/// agree. True when both say "sandbox"; kInconsistent when only one of them does (an
/// annotation posing as a sandbox, or a sandbox whose spec lost its annotation).
Result<bool> IsPodSandbox(const std::string& annotation, const std::string& label);

}  // namespace containerd
}  // namespace verified
