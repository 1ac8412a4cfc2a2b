// Finding containers across engines: the enumerators audit lists with, and one container by id,
// name or id prefix for explain.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ctl/container_enumerator.h"

namespace verified::ctl {

/// Which engines to look in, and where.
struct EngineSelection {
  std::vector<std::string> engines;           ///< docker, containerd, podman, all; empty = all
  std::string docker_host;                    ///< DOCKER_HOST ("" = the default socket)
  std::vector<std::string> containerd_state;  ///< empty = DefaultContainerdStateDirs()
  std::string podman_root = "/var/lib/containers/storage";
  std::string podman_runroot = "/run/containers/storage";
  int workers = 4;
};

/// The enumerators for `sel`: Docker first (its containers also appear as containerd tasks in
/// the "moby" namespace and are reported with Docker's names), then containerd, then Podman.
std::vector<std::unique_ptr<ContainerEnumerator>> MakeEnumerators(const EngineSelection& sel);

/// Finds one container, running or not, in the engines of `enumerators`: by exact id, exact
/// name (a containerd task also by "<namespace>/<id>"), else by a unique id prefix. An engine
/// that is not present is skipped. kNotFound when no engine has it (naming where it looked and
/// any engine that could not be read); kInvalidArgument when a prefix matches several.
Result<FoundContainer> FindContainer(
    const std::vector<std::unique_ptr<ContainerEnumerator>>& enumerators,
    const std::string& target);

}  // namespace verified::ctl
