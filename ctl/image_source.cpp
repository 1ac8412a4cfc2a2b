#include "ctl/image_source.h"

#include <unistd.h>

#include <algorithm>

#include "ctl/engines/containerd_local.h"
#include "ctl/engines/docker_api.h"
#include "ctl/engines/podman_storage.h"
#include "verifier/core/env.h"
#include "verifier/core/json.h"
#include "verifier/image/reference.h"
#include "verifier/store/docker/overlay2_store.h"

namespace verified::ctl {
namespace {

// Docker's containerd image store (Docker 29's default): the API's image Id is the index or
// manifest digest, while the runtime proves, and `registered` binds, the config digest. Read
// the image from containerd's own files (dockerd's namespace "moby") as the runtime does.
Result<ResolvedImage> FromDockerContainerdStore(const CtlContext& ctx, const ResolvedImage& api) {
  std::string name;
  auto typed = ParseReference(api.typed_reference);
  if (!ParseImageId(api.typed_reference) && typed.ok() && api.typed_confirmed) {
    name = typed->String();
  }
  for (const auto& n : api.names) {
    if (name.empty() && n.find('@') == std::string::npos) name = n;
  }
  CtlContext c = ctx;
  c.engine = "containerd";
  if (c.containerd_namespace.empty()) c.containerd_namespace = "moby";
  auto stored = name.empty() ? Result<ResolvedImage>(MakeError(ErrorKind::kNotFound,
                                                               "the image has no name to look up"))
                             : LookupContainerd(c, name);
  if (!stored.ok()) {
    return Wrap(std::move(stored).error(),
                "Docker's containerd image store: cannot read the config digest of {} (register "
                "with --engine containerd --namespace moby [--containerd-root DIR])",
                api.typed_reference);
  }
  if (stored->diff_ids != api.diff_ids) {
    return MakeError(ErrorKind::kInconsistent,
                     "image {}: the Docker API and containerd disagree about its layers",
                     api.typed_reference);
  }
  stored->typed_reference = api.typed_reference;
  stored->typed_confirmed = api.typed_confirmed;
  stored->names = api.names;
  return stored;
}

Result<ResolvedImage> LookupDocker(const CtlContext& ctx, const std::string& typed) {
  VERIFIED_ASSIGN_OR_RETURN(Endpoint ep, DockerEndpoint(EnvOr("DOCKER_HOST")));
  DockerApi api(ep);
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json inspect, api.InspectImage(typed));
  VERIFIED_ASSIGN_OR_RETURN(ResolvedImage img, ImageFromInspect(inspect, typed));
  auto info = api.Info();
  if (!info.ok() || !info->is_object()) return img;
  std::string driver = JsonString(*info, {"Driver"});
  std::string root = JsonString(*info, {"DockerRootDir"});
  if (IsContainerdImageStore(*info)) return FromDockerContainerdStore(ctx, img);
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
      FindPodmanStorage(ctx.podman_root, ctx.podman_runroot, EnvOr("CONTAINERS_STORAGE_CONF")));
  return LookupPodmanImage(loc, typed);
}

}  // namespace

bool IsContainerdImageStore(const nlohmann::json& info) {
  const nlohmann::json* status =
      info.is_object() && info.contains("DriverStatus") ? &info["DriverStatus"] : nullptr;
  if (status == nullptr || !status->is_array()) return false;
  for (const auto& pair : *status) {
    if (pair.is_array() && pair.size() == 2 && pair[0] == "driver-type" &&
        pair[1] == "io.containerd.snapshotter.v1") {
      return true;
    }
  }
  return false;
}

Result<ResolvedImage> LookupImage(const CtlContext& ctx, const std::string& typed) {
  if (ctx.engine == "docker") return LookupDocker(ctx, typed);
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
