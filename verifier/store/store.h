// Store: one engine's image storage, asked "which image is this container's rootfs?".
//
// Every engine (Docker overlay2, Docker's containerd store, containerd CRI, containers/storage)
// implements this interface. A resolver answers exactly one of three ways:
//   - not mine      (std::nullopt): the rootfs does not live in this engine's store;
//   - resolved      (ResolvedImage): identity proven from store files and the live mount;
//   - broken        (Error): it is this engine's, but something is missing, malformed or
//                   inconsistent. The runtime denies on this: it fails closed.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/bundle/spec.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// What the runtime knows about the container being created.
struct ContainerContext {
  std::string container_id;  ///< last positional argument of create/run/restore
  std::string bundle_dir;    ///< absolute bundle path
  const Spec* spec = nullptr;
  std::string rootfs;  ///< absolute, symlink-resolved root.path
  /// The mount table; nullptr when the rootfs is not mounted yet (verifiedctl explain of a
  /// stopped container). Resolvers then skip the mount cross-check and say so in `notes`.
  const std::vector<MountEntry>* mounts = nullptr;
};

/// One engine's storage.
class Store {
 public:
  virtual ~Store() = default;
  /// Short engine name used in messages and the decision log ("docker-overlay2").
  virtual std::string Name() const = 0;
  /// Resolves the container's image (see the file comment for the three outcomes).
  virtual Result<std::optional<ResolvedImage>> Resolve(const ContainerContext& ctx) const = 0;
};

}  // namespace verified
