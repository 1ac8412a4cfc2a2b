// Container enumerators: "which containers exist on this host?", one per engine.
//
// verifiedctl audit asks every enumerator for its containers, then proves each container's
// image through the same store resolvers the runtime uses (verifier/store/stores.h
// AllStores()) and evaluates the policy on the OCI spec the container was created with. An
// enumerator only finds containers and the paths that locate them; it never decides what an
// image is. So an engine whose store resolver lands later is audited correctly from then on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "verifier/core/result.h"

namespace verified::ctl {

/// One container as its engine records it.
struct FoundContainer {
  std::string engine;       ///< "docker", "containerd", "podman"
  std::string id;           ///< the engine's container id (what the runtime got on create)
  std::string name;         ///< human name ("web", "k8s.io/<id>", ...); may equal id
  std::string image_typed;  ///< the image reference as typed ("" when the engine keeps none)
  std::string rootfs;       ///< absolute host path of the root filesystem ("" when unknown)
  std::string bundle;       ///< OCI bundle dir holding config.json ("" when not running)
  bool running = false;
  std::string state;    ///< "running", "created", "exited", ...
  std::string runtime;  ///< the OCI runtime the engine used (name or path, "" when unknown)
  std::vector<std::string> notes;  ///< what could not be located, for the report
};

/// Lists one engine's containers.
class ContainerEnumerator {
 public:
  virtual ~ContainerEnumerator() = default;
  /// Engine name, as in FoundContainer::engine.
  virtual std::string Engine() const = 0;
  /// Where it looks, for messages ("unix:///var/run/docker.sock", "/run/containerd").
  virtual std::string Where() const = 0;
  /// nullopt when the engine is not present on this host (nothing to audit); an error when
  /// it is present but cannot be read (the audit is then incomplete: exit 2). Running
  /// containers only, unless `include_stopped`.
  virtual Result<std::optional<std::vector<FoundContainer>>> List(bool include_stopped) const = 0;
};

}  // namespace verified::ctl
