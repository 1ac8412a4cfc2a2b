#include "ctl/engines/docker_api.h"

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified::ctl {

Result<Endpoint> DockerEndpoint(const std::string& docker_host) {
  Endpoint ep;
  std::string host = docker_host.empty() ? "unix:///var/run/docker.sock" : docker_host;
  if (host.rfind("unix://", 0) == 0) {
    ep.unix_socket = host.substr(7);
    ep.base_url = "http://localhost";
    if (ep.unix_socket.empty()) {
      return MakeError(ErrorKind::kInvalidArgument, "DOCKER_HOST {} has no socket path", host);
    }
    return ep;
  }
  for (const char* scheme : {"tcp://", "http://"}) {
    if (host.rfind(scheme, 0) == 0) {
      ep.base_url = "http://" + host.substr(std::string(scheme).size());
      while (!ep.base_url.empty() && ep.base_url.back() == '/') ep.base_url.pop_back();
      return ep;
    }
  }
  return MakeError(ErrorKind::kUnsupported,
                   "DOCKER_HOST '{}' is not supported (use unix:// or tcp://)", host);
}

Result<nlohmann::json> DockerApi::GetJson(const std::string& path, const std::string& what) const {
  VERIFIED_ASSIGN_OR_RETURN(HttpResponse resp, HttpGet(ep_, path));
  if (resp.status == 404) return MakeError(ErrorKind::kNotFound, "docker has no {}", what);
  if (resp.status < 200 || resp.status >= 300) {
    std::string msg = resp.body.substr(0, 500);
    auto j = ParseJson(resp.body, "docker error");
    if (j.ok() && j->is_object() && j->contains("message") && (*j)["message"].is_string()) {
      msg = (*j)["message"].get<std::string>();
    }
    return MakeError(ErrorKind::kIo, "docker API {} returned {}: {}", path, resp.status, msg);
  }
  return ParseJson(resp.body, "docker API " + path);
}

Result<nlohmann::json> DockerApi::InspectImage(const std::string& name) const {
  return GetJson("/images/" + UrlEscape(name) + "/json", "image " + name);
}

Result<nlohmann::json> DockerApi::InspectContainer(const std::string& id) const {
  return GetJson("/containers/" + UrlEscape(id) + "/json", "container " + id);
}

Result<nlohmann::json> DockerApi::ListContainers(bool all) const {
  return GetJson(std::string("/containers/json") + (all ? "?all=1" : ""), "container list");
}

Result<nlohmann::json> DockerApi::Info() const { return GetJson("/info", "info"); }

Result<ResolvedImage> ImageFromInspect(const nlohmann::json& j, const std::string& typed) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "image inspect is not an object");
  ResolvedImage img;
  img.engine = "docker-api";
  VERIFIED_ASSIGN_OR_RETURN(std::string id, OptionalString(j, "Id", "image inspect"));
  VERIFIED_ASSIGN_OR_RETURN(img.image_id, ParseDigest(id, "image inspect Id"));
  auto rootfs = j.find("RootFS");
  if (rootfs != j.end() && rootfs->is_object()) {
    auto layers = rootfs->find("Layers");
    if (layers != rootfs->end() && layers->is_array()) {
      for (const auto& l : *layers) {
        if (!l.is_string()) return MakeError(ErrorKind::kParse, "RootFS.Layers entry");
        VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(l.get<std::string>(), "layer"));
        img.diff_ids.push_back(std::move(d));
      }
    }
  }
  img.chain_ids = ChainIds(img.diff_ids);
  for (const char* key : {"RepoTags", "RepoDigests"}) {
    auto list = j.find(key);
    if (list == j.end() || !list->is_array()) continue;
    for (const auto& n : *list) {
      if (!n.is_string()) continue;
      auto ref = ParseReference(n.get<std::string>());
      if (ref.ok()) img.names.push_back(ref->String());
    }
  }
  if (auto cfg = j.find("Config"); cfg != j.end() && cfg->is_object()) {
    img.config["config"] = *cfg;
  }
  if (auto created = j.find("Created"); created != j.end()) img.config["created"] = *created;
  img.config["rootfs"] = {{"type", "layers"}, {"diff_ids", img.diff_ids}};
  img.typed_reference = typed;
  if (!ParseImageId(typed)) {
    auto ref = ParseReference(typed);
    if (ref.ok()) {
      for (const auto& n : img.names) {
        if (n == ref->String()) img.typed_confirmed = true;
      }
    }
  }
  img.notes.push_back("identity read from the Docker Engine API (image inspect)");
  return img;
}

}  // namespace verified::ctl
