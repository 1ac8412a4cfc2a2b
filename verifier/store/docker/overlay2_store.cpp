#include "verifier/store/docker/overlay2_store.h"

#include <sys/stat.h>

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/image/reference.h"
#include "verifier/store/docker/docker_files.h"
#include "verifier/store/docker/layerdb.h"
#include "verifier/store/docker/limits.h"
#include "verifier/store/docker/overlay2_mount.h"
#include "verifier/store/docker/repositories.h"

namespace verified {
namespace {

using docker::kMaxContainerConfigBytes;
using docker::kMaxRepositoriesBytes;

struct ContainerRecord {
  std::string image_id;
  std::string typed;  // Config.Image: what the user typed
  std::string driver;
};

Result<ContainerRecord> ReadContainerConfig(const Dir& root, const std::string& cid) {
  std::string rel = "containers/" + cid + "/config.v2.json";
  VERIFIED_ASSIGN_OR_RETURN(std::string text, root.ReadFile(rel, kMaxContainerConfigBytes));
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, rel));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", rel);
  ContainerRecord rec;
  VERIFIED_ASSIGN_OR_RETURN(std::string image, OptionalString(j, "Image", rel));
  VERIFIED_ASSIGN_OR_RETURN(rec.image_id, ParseDigest(image, rel + " Image"));
  VERIFIED_ASSIGN_OR_RETURN(rec.driver, OptionalString(j, "Driver", rel));
  VERIFIED_ASSIGN_OR_RETURN(std::string id, OptionalString(j, "ID", rel));
  if (id != cid) {
    return MakeError(ErrorKind::kInconsistent, "{} describes container '{}'", rel, id);
  }
  if (auto cfg = j.find("Config"); cfg != j.end() && cfg->is_object()) {
    VERIFIED_ASSIGN_OR_RETURN(rec.typed, OptionalString(*cfg, "Image", rel + " Config"));
  }
  return rec;
}

// Decides whether what the user typed is a name that Docker's tag store maps to this image.
// An ID (full or short) is not a name; a tag that has since moved to another image no longer
// names this one (docker start of an old container after a rebuild).
bool TypedNameConfirmed(const std::string& typed, const std::string& image_id,
                        const docker::TagMap& tags) {
  if (typed.empty() || ParseImageId(typed)) return false;
  auto ref = ParseReference(typed);
  if (!ref.ok()) return false;
  return docker::NamesImage(tags, ref->String(), image_id);
}

}  // namespace

std::optional<std::pair<std::string, std::string>> SplitOverlay2Rootfs(const std::string& rootfs) {
  // .../<data-root>/overlay2/<mount-id>/merged
  auto cut = [](const std::string& p) -> std::pair<std::string, std::string> {
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return {"", ""};
    return {p.substr(0, slash), p.substr(slash + 1)};
  };
  auto [a, merged] = cut(rootfs);
  auto [b, mount_id] = cut(a);
  auto [data_root, overlay2] = cut(b);
  if (merged != "merged" || overlay2 != "overlay2" || !docker::IsGraphId(mount_id) ||
      data_root.empty()) {
    return std::nullopt;
  }
  return std::make_pair(data_root, mount_id);
}

Result<ResolvedImage> LoadDockerImage(const std::string& data_root, const std::string& image_id) {
  VERIFIED_ASSIGN_OR_RETURN(Dir root, Dir::Open(data_root));
  VERIFIED_ASSIGN_OR_RETURN(Dir imgdir, root.OpenDir("image/overlay2"));
  ResolvedImage img;
  img.engine = "docker-overlay2";
  // manifest_files stays empty: the graphdriver store keeps no registry manifest (the pull
  // drops it; only its digest survives as a repo@digest name in repositories.json). A
  // signature check uses the manifest imported with the signature instead, and `verifiedctl
  // sign` generates the docker-daemon one (signature/docker_daemon_manifest.h).
  img.store_root = data_root;
  img.image_id = image_id;
  std::string rel = "imagedb/content/sha256/" + std::string(DigestHex(image_id));
  VERIFIED_ASSIGN_OR_WRAP(std::string text, imgdir.ReadFile(rel, kMaxImageConfigBytes), "image {}",
                          image_id);
  VERIFIED_RETURN_IF_ERROR(CheckDigest(text, image_id, "imagedb config of " + image_id));
  VERIFIED_ASSIGN_OR_RETURN(ImageConfig cfg, ParseImageConfig(text, "image config " + image_id));
  img.config = std::move(cfg.doc);
  img.diff_ids = std::move(cfg.diff_ids);
  img.chain_ids = ChainIds(img.diff_ids);
  VERIFIED_ASSIGN_OR_RETURN(Dir layerdb, imgdir.OpenDir("layerdb"));
  VERIFIED_ASSIGN_OR_WRAP(
      img.layers,
      docker::ReadLayerChain(layerdb, data_root + "/overlay2", img.diff_ids, img.chain_ids),
      "image {}", image_id);
  VERIFIED_ASSIGN_OR_RETURN(bool has_repos, imgdir.Exists("repositories.json"));
  if (has_repos) {
    VERIFIED_ASSIGN_OR_RETURN(std::string repos,
                              imgdir.ReadFile("repositories.json", kMaxRepositoriesBytes));
    VERIFIED_ASSIGN_OR_RETURN(docker::TagMap tags, docker::ParseRepositories(repos));
    img.names = docker::NamesFor(tags, image_id);
  }
  img.notes.push_back("image config hashed: sha256 matches the image ID");
  img.notes.push_back("layer chain walked in layerdb: diff, parent and cache-id of every layer");
  return img;
}

Result<std::optional<ResolvedImage>> DockerOverlay2Store::Resolve(
    const ContainerContext& ctx) const {
  auto split = SplitOverlay2Rootfs(ctx.rootfs);
  if (!split) return std::optional<ResolvedImage>();
  // Named references, not a structured binding: the lambda below captures data_root, which
  // clang accepts for structured bindings only from version 16 (P1091R3).
  const std::string& data_root = split->first;
  const std::string& mount_id = split->second;
  struct stat st;
  std::string marker = data_root + "/image/overlay2/layerdb";
  if (stat(marker.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return std::optional<ResolvedImage>();  // an overlay2 shape, but not a Docker data root
  }
  auto fail = [&](Error e) { return Wrap(std::move(e), "docker store {}", data_root); };
  if (!IsHex64(ctx.container_id)) {
    return fail(MakeError(ErrorKind::kInconsistent,
                          "container id '{}' is not a Docker container id", ctx.container_id));
  }
  auto root = Dir::Open(data_root);
  if (!root.ok()) return fail(std::move(root).error());
  auto rec = ReadContainerConfig(*root, ctx.container_id);
  if (!rec.ok()) return fail(std::move(rec).error());
  if (rec->driver != "overlay2") {
    return fail(
        MakeError(ErrorKind::kUnsupported, "container uses storage driver '{}'", rec->driver));
  }
  auto layerdb = root->OpenDir("image/overlay2/layerdb");
  if (!layerdb.ok()) return fail(std::move(layerdb).error());
  auto mount = docker::ReadMountRecord(*layerdb, ctx.container_id);
  if (!mount.ok()) return fail(std::move(mount).error());
  if (mount->mount_id != mount_id) {
    return fail(MakeError(ErrorKind::kInconsistent,
                          "root.path is overlay2 dir {} but layerdb says the container's mount "
                          "is {}",
                          mount_id, mount->mount_id));
  }
  auto img = LoadDockerImage(data_root, rec->image_id);
  if (!img.ok()) return fail(std::move(img).error());
  if (img->TopChainId() != mount->parent) {
    return fail(MakeError(ErrorKind::kInconsistent,
                          "image {} has top chainID {} but the container layer's parent is {}",
                          rec->image_id, img->TopChainId(), mount->parent));
  }
  img->typed_reference = rec->typed;
  if (!rec->typed.empty() && !ParseImageId(rec->typed)) {
    std::string repos_text;
    auto repos = root->ReadFile("image/overlay2/repositories.json", kMaxRepositoriesBytes);
    if (repos.ok()) {
      auto tags = docker::ParseRepositories(*repos);
      if (!tags.ok()) return fail(std::move(tags).error());
      img->typed_confirmed = TypedNameConfirmed(rec->typed, rec->image_id, *tags);
    }
  }
  if (ctx.mounts == nullptr) {
    img->notes.push_back("rootfs not mounted: overlay lowerdir cross-check skipped");
  } else {
    auto check = docker::CheckOverlay2Mount(*ctx.mounts, ctx.rootfs, data_root, mount_id,
                                            mount->init_id, img->layers);
    if (!check.ok()) return fail(std::move(check).error());
    img->notes.push_back("mount at root.path checked: overlay lowerdirs are init + the chain");
  }
  // The container's writable layer is the upperdir of its own overlay2 dir (moby
  // daemon/graphdriver/overlay2/overlay.go: <overlay2>/<mount-id>/diff).
  img->engine_files = docker::ContainerFiles(data_root, ctx.container_id,
                                             data_root + "/overlay2/" + mount_id + "/diff");
  return std::optional<ResolvedImage>(std::move(img).value());
}

}  // namespace verified
