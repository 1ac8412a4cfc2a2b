#include "ctl/image_source.h"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "ctl/engines/containerd_local.h"
#include "ctl/engines/docker_api.h"
#include "ctl/engines/podman_storage.h"
#include "verifier/core/json.h"
#include "verifier/image/reference.h"
#include "verifier/store/docker/overlay2_store.h"

namespace verified::ctl {
namespace {

std::string Env(const char* name) {
  const char* v = getenv(name);
  return v == nullptr ? std::string() : std::string(v);
}

Result<ResolvedImage> LookupDocker(const std::string& typed) {
  VERIFIED_ASSIGN_OR_RETURN(Endpoint ep, DockerEndpoint(Env("DOCKER_HOST")));
  DockerApi api(ep);
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json inspect, api.InspectImage(typed));
  VERIFIED_ASSIGN_OR_RETURN(ResolvedImage img, ImageFromInspect(inspect, typed));
  auto info = api.Info();
  if (!info.ok() || !info->is_object()) return img;
  std::string driver = JsonString(*info, {"Driver"});
  std::string root = JsonString(*info, {"DockerRootDir"});
  if (driver != "overlay2" || root.empty() ||
      access((root + "/image/overlay2").c_str(), R_OK) != 0) {
    img.notes.push_back("data root not readable here: store cross-check skipped");
    return img;
  }
  // Prove the identity from the store as the runtime will; a mismatch with the API means the
  // store was changed behind dockerd's back and must not be registered.
  auto stored = LoadDockerImage(root, img.image_id);
  if (!stored.ok()) return Wrap(std::move(stored).error(), "docker store {}", root);
  if (stored->diff_ids != img.diff_ids) {
    return MakeError(ErrorKind::kInconsistent,
                     "image {}: the API and the store disagree about its layers", img.image_id);
  }
  stored->typed_reference = img.typed_reference;
  stored->typed_confirmed = img.typed_confirmed;
  for (const auto& n : img.names) {
    if (std::find(stored->names.begin(), stored->names.end(), n) == stored->names.end()) {
      stored->names.push_back(n);
    }
  }
  return stored;
}

// Podman: containers/storage read directly, found as podman finds it.
Result<ResolvedImage> LookupPodman(const CtlContext& ctx, const std::string& typed) {
  VERIFIED_ASSIGN_OR_RETURN(
      StorageLocation loc,
      FindPodmanStorage(ctx.podman_root, ctx.podman_runroot, Env("CONTAINERS_STORAGE_CONF")));
  return LookupPodmanImage(loc, typed);
}

}  // namespace

Result<ResolvedImage> LookupImage(const CtlContext& ctx, const std::string& typed) {
  if (ctx.engine == "docker") return LookupDocker(typed);
  if (ctx.engine == "podman") return LookupPodman(ctx, typed);
  if (ctx.engine == "containerd") return LookupContainerd(ctx, typed);
  return MakeError(ErrorKind::kUnsupported,
                   "engine '{}' is not supported (docker, containerd, podman)", ctx.engine);
}

Result<std::vector<std::string>> RegistrationNames(const ResolvedImage& img,
                                                   const std::string& typed) {
  std::vector<std::string> out;
  if (!ParseImageId(typed)) {
    // The engine's own spelling of the name when it confirmed one (Podman's "localhost/app:1"
    // for a typed "app:1"), else what was typed.
    auto ref = ParseReference(
        img.typed_confirmed && !img.typed_reference.empty() ? img.typed_reference : typed);
    if (ref.ok() && img.typed_confirmed) {
      out.push_back(ref->String());
      return out;
    }
    // The engine resolved the name (short ID, or a name it normalises differently): register
    // every tag it has for the image instead.
  }
  for (const auto& n : img.names) {
    auto ref = ParseReference(n);
    if (ref.ok() && !ref->tag.empty() && ref->digest.empty()) out.push_back(n);
  }
  if (out.empty()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "image {} has no tag to register it under; tag it or register it by name",
                     img.image_id);
  }
  return out;
}

}  // namespace verified::ctl
