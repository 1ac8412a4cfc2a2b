// The options that say where to look for containers, shared by `explain` and `audit`.
#pragma once

#include <CLI/CLI.hpp>

#include "ctl/container_finder.h"

namespace verified::ctl {

/// Adds --engine (repeatable: docker, containerd, podman, all), --containerd-state
/// (repeatable), --podman-root and --podman-runroot to `cmd`, filling `sel` (which must outlive
/// the parse). CLI11 refuses an unknown engine name.
void AddEngineOptions(CLI::App& cmd, EngineSelection& sel);

/// `sel` with the Docker endpoint the docker CLI would use ($DOCKER_HOST, else the default
/// socket).
EngineSelection WithDockerHost(EngineSelection sel);

}  // namespace verified::ctl
