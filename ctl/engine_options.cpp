#include "ctl/engine_options.h"

#include "verifier/core/env.h"

namespace verified::ctl {

void AddEngineOptions(CLI::App& cmd, EngineSelection& sel) {
  cmd.add_option("--engine", sel.engines,
                 "docker, containerd, podman or all (repeatable; default: every engine present)")
      ->check(CLI::IsMember({"docker", "containerd", "podman", "all"}));
  cmd.add_option("--containerd-state", sel.containerd_state,
                 "containerd state dir (repeatable; default /run/containerd and "
                 "/run/docker/containerd/daemon)");
  cmd.add_option("--podman-root", sel.podman_root, "containers/storage graph root")
      ->capture_default_str();
  cmd.add_option("--podman-runroot", sel.podman_runroot, "containers/storage run root")
      ->capture_default_str();
}

EngineSelection WithDockerHost(EngineSelection sel) {
  sel.docker_host = EnvOr("DOCKER_HOST");
  return sel;
}

}  // namespace verified::ctl
