// Podman's containers (and CRI-O's: the same containers/storage), from disk:
//
//   <graphroot>/<driver>-containers/containers.json
//       [{"id", "names", "image" (image ID), "layer" (container layer),
//         "metadata": "{\"image-name\":\"<as typed, normalised>\",\"name\":...}"}]
//   <graphroot>/<driver>-containers/<id>/userdata/config.json    the OCI spec (the bundle)
//   <runroot>/<driver>-containers/<id>/userdata/{pidfile,conmon.pid}
//
// A container is running when the PID in its pidfile is alive and is a child of the conmon
// whose PID conmon.pid holds; conmon's command line (`-r PATH`) names the OCI runtime.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctl/container_enumerator.h"

namespace verified::ctl {

/// Largest containers.json read, and most containers in it.
inline constexpr size_t kMaxContainersJsonBytes = 64u << 20;
inline constexpr size_t kMaxStorageContainers = 100000;

/// One entry of containers.json.
struct StorageContainer {
  std::string id;
  std::vector<std::string> names;
  std::string image_id;    ///< 64 hex, "" for a container made from a bare rootfs
  std::string layer;       ///< the container's own layer id
  std::string image_name;  ///< metadata "image-name"
};

/// Parses containers.json (untrusted: sizes and counts bounded, ids must be 64 hex, layer
/// ids must be safe path components). kParse / kTooLarge on anything else.
Result<std::vector<StorageContainer>> ParseStorageContainers(std::string_view text);

/// The Podman enumerator.
class PodmanContainers : public ContainerEnumerator {
 public:
  /// Defaults: /var/lib/containers/storage and /run/containers/storage (root's Podman).
  PodmanContainers(std::string graph_root, std::string run_root);

  std::string Engine() const override { return "podman"; }
  std::string Where() const override { return graph_root_; }
  /// Not present when no <driver>-containers/containers.json exists under the graph root.
  Result<std::optional<std::vector<FoundContainer>>> List(bool include_stopped) const override;

 private:
  std::string graph_root_;
  std::string run_root_;
};

/// The value following "-r" (or "--runtime") in a NUL-separated command line. Exposed for
/// tests.
std::string RuntimeFromConmonCmdline(std::string_view cmdline);

}  // namespace verified::ctl
