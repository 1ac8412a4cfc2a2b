// The Docker Engine API, as the docker CLI finds it (DOCKER_HOST, else the default socket).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ctl/engines/http_client.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::ctl {

/// Parses DOCKER_HOST the way the docker CLI does: "unix:///path", "tcp://host:port"
/// ("http://" too); empty means unix:///var/run/docker.sock. ssh:// and npipe:// are
/// kUnsupported.
Result<Endpoint> DockerEndpoint(const std::string& docker_host);

/// A Docker API client.
class DockerApi {
 public:
  explicit DockerApi(Endpoint ep) : ep_(std::move(ep)) {}

  /// GET /images/{name}/json. kNotFound when the engine has no such image.
  Result<nlohmann::json> InspectImage(const std::string& name) const;
  /// GET /containers/{id}/json. kNotFound when no such container.
  Result<nlohmann::json> InspectContainer(const std::string& id) const;
  /// GET /containers/json (running only unless `all`).
  Result<nlohmann::json> ListContainers(bool all) const;
  /// GET /info.
  Result<nlohmann::json> Info() const;

 private:
  Result<nlohmann::json> GetJson(const std::string& path, const std::string& what) const;
  Endpoint ep_;
};

/// Builds a ResolvedImage from an image-inspect document (engine "docker-api"): ID, diffIDs
/// from RootFS.Layers, chainIDs, names from RepoTags/RepoDigests, Config. `typed` is the
/// reference the user gave; it is confirmed when it is one of those names.
Result<ResolvedImage> ImageFromInspect(const nlohmann::json& inspect, const std::string& typed);

}  // namespace verified::ctl
