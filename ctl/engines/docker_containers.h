// Docker's containers, from the Engine API over its socket (DOCKER_HOST, as the docker CLI).
//
// GET /containers/json lists them (every runtime: containers started with --runtime=runc or
// before verified was installed are listed like any other); one GET /containers/{id}/json per
// container, spread over a few keep-alive connections, gives its name, the image as typed,
// runtime, state, init PID and overlay2 MergedDir. A running container's bundle is the working
// directory of its shim (verifier/bundle/bundle_locator.h).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ctl/container_enumerator.h"

namespace verified::ctl {

/// The Docker enumerator.
class DockerContainers : public ContainerEnumerator {
 public:
  /// `docker_host` is DOCKER_HOST ("" = unix:///var/run/docker.sock). With DOCKER_HOST unset
  /// and no socket at the default path Docker is "not present"; otherwise an unreachable
  /// daemon is an error. `workers` parallel connections inspect containers.
  explicit DockerContainers(std::string docker_host, int workers = 4);

  std::string Engine() const override { return "docker"; }
  std::string Where() const override;
  Result<std::optional<std::vector<FoundContainer>>> List(bool include_stopped) const override;

 private:
  std::string docker_host_;
  int workers_;
};

/// Builds a FoundContainer from a container-inspect document (no bundle lookup). kParse when
/// the Id is not a 64-hex Docker id. Exposed for tests.
Result<FoundContainer> DockerContainerFromInspect(const nlohmann::json& inspect);

/// Parses a GET /containers/{id}/json answer keeping only what DockerContainerFromInspect
/// reads (Id, Name, Config.Image, State, HostConfig.Runtime, GraphDriver). kParse when it is
/// not JSON. Exposed for tests.
Result<nlohmann::json> ParseDockerInspect(const std::string& body, const std::string& what);

/// The ids in a GET /containers/json answer; kParse when it is not a list of objects with
/// 64-hex ids. Exposed for tests.
Result<std::vector<std::string>> DockerContainerIds(const nlohmann::json& list);

}  // namespace verified::ctl
