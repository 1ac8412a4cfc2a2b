#include "verifier/store/containerd/docker_containerd_store.h"

#include <sys/stat.h>

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/store/containerd/containerd_image.h"
#include "verifier/store/containerd/containerd_root.h"
#include "verifier/store/containerd/limits.h"
#include "verifier/store/containerd/snapshot_chain.h"
#include "verifier/store/containerd/snapshot_mount.h"
#include "verifier/store/docker/docker_files.h"

namespace verified {
namespace {

using namespace containerd;  // NOLINT(build/namespaces): this file is containerd's resolver

constexpr const char* kDockerNamespace = "moby";  // moby daemon/config DefaultContainersNamespace

struct DockerRecord {
  std::string image;     // target digest of the image (Docker 29's image ID)
  std::string typed;     // Config.Image
  std::string manifest;  // ImageManifest.digest ("" when not recorded)
};

Result<DockerRecord> ReadDockerRecord(const Dir& root, const std::string& cid) {
  std::string rel = "containers/" + cid + "/config.v2.json";
  VERIFIED_ASSIGN_OR_RETURN(std::string text, root.ReadFile(rel, kMaxContainerConfigBytes));
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, rel));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", rel);
  VERIFIED_ASSIGN_OR_RETURN(std::string id, OptionalString(j, "ID", rel));
  if (id != cid) return MakeError(ErrorKind::kInconsistent, "{} describes container '{}'", rel, id);
  VERIFIED_ASSIGN_OR_RETURN(std::string driver, OptionalString(j, "Driver", rel));
  if (driver != "overlayfs") {
    return MakeError(ErrorKind::kUnsupported,
                     "container uses snapshotter '{}': only overlayfs snapshots can be proven",
                     driver);
  }
  DockerRecord rec;
  VERIFIED_ASSIGN_OR_RETURN(std::string image, OptionalString(j, "Image", rel));
  VERIFIED_ASSIGN_OR_RETURN(rec.image, ParseDigest(image, rel + " Image"));
  if (auto cfg = j.find("Config"); cfg != j.end() && cfg->is_object()) {
    VERIFIED_ASSIGN_OR_RETURN(rec.typed, OptionalString(*cfg, "Image", rel + " Config"));
  }
  if (auto m = j.find("ImageManifest"); m != j.end() && m->is_object()) {
    VERIFIED_ASSIGN_OR_RETURN(std::string d, OptionalString(*m, "digest", rel + " ImageManifest"));
    VERIFIED_ASSIGN_OR_RETURN(rec.manifest, ParseDigest(d, rel + " ImageManifest digest"));
  }
  return rec;
}

Result<std::string> FindRoot(const ContainerContext& ctx, const std::string& data_root,
                             std::string& ns) {
  if (auto tb = ParseTaskBundle(ctx.bundle_dir)) {
    ns = tb->ns;
    if (tb->id != ctx.container_id) {
      return MakeError(ErrorKind::kInconsistent, "bundle is for container '{}'", tb->id);
    }
    return RootFromBundle(ctx.bundle_dir, *tb);
  }
  ns = kDockerNamespace;
  return data_root + "/containerd/daemon";
}

Result<ResolvedImage> ResolveDocker(const ContainerContext& ctx, const std::string& data_root,
                                    const std::string& cid) {
  if (cid != ctx.container_id) {
    return MakeError(ErrorKind::kInconsistent,
                     "root.path is for container {}, runc was asked for {}", cid, ctx.container_id);
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir droot, Dir::Open(data_root));
  VERIFIED_ASSIGN_OR_RETURN(DockerRecord rec, ReadDockerRecord(droot, cid));
  std::string ns;
  VERIFIED_ASSIGN_OR_RETURN(std::string root, FindRoot(ctx, data_root, ns));
  VERIFIED_ASSIGN_OR_RETURN(ContainerdFiles files, ContainerdFiles::Open(root));
  VERIFIED_ASSIGN_OR_RETURN(bbolt::Db snaps, files.OpenSnapshotDb());
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ChainLink> links,
                            ResolveLineage(files.meta, snaps, ns, "overlayfs", cid));
  if (links.front().kind != SnapshotKind::kActive) {
    return MakeError(ErrorKind::kInconsistent, "the container's snapshot is {}, not active",
                     SnapshotKindName(links.front().kind));
  }
  // moby image_snapshot.go createLayer: the rw snapshot's parent is "<cid>-init" (committed)
  // whose parent is the image's top chainID.
  size_t first_layer = 1;
  if (links.size() > 1 && links[1].key == cid + "-init") first_layer = 2;
  std::vector<std::string> chain_keys;
  for (size_t i = links.size(); i-- > first_layer;) chain_keys.push_back(links[i].key);
  for (size_t i = 1; i < links.size(); ++i) {
    if (links[i].kind != SnapshotKind::kCommitted) {
      return MakeError(ErrorKind::kInconsistent, "parent snapshot {} is {}, not committed",
                       links[i].key, SnapshotKindName(links[i].kind));
    }
  }
  VERIFIED_ASSIGN_OR_RETURN(
      std::vector<ManifestConfig> configs,
      ResolveTarget(files.content, Descriptor{rec.image, "", -1}, HostPlatform()));
  const ManifestConfig* chosen = nullptr;
  for (const auto& mc : configs) {
    if (!rec.manifest.empty() && mc.manifest_digest != rec.manifest) continue;
    if (ChainIds(mc.config.diff_ids) == chain_keys) chosen = &mc;
    if (chosen) break;
  }
  if (chosen == nullptr) {
    return MakeError(ErrorKind::kInconsistent,
                     "image {} (config.v2.json Image) has no manifest for this platform whose "
                     "layer chain is the container's snapshot chain (top {})",
                     rec.image, chain_keys.empty() ? std::string("none") : chain_keys.back());
  }
  ResolvedImage img = ImageFromManifest("docker-containerd", root, *chosen);
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, ReadAllImages(files, ns));
  // Every record that targets the image (docker tag copies the target) or the very manifest
  // the container runs: deny rules are tried on all of them.
  img.names = NamesForTargets(images, {rec.image, chosen->manifest_digest});
  img.typed_reference = rec.typed;
  if (!rec.typed.empty() && !ParseImageId(rec.typed)) {
    // Confirmed when a record of that name, in any spelling of its registry host (dockerd
    // keeps "EVIL.IO/x:1" as written), targets this image.
    auto ref = ParseReference(rec.typed);
    for (const auto& rec_img : images) {
      if (!ref.ok() || rec_img.target_digest != rec.image || ParseImageId(rec_img.name)) continue;
      auto stored = ParseReference(rec_img.name);
      if (stored.ok() && *stored == *ref) img.typed_confirmed = true;
    }
  }
  img.notes.push_back(fmt::format("containerd root {}, namespace {}; image {} from config.v2.json",
                                  root, ns, rec.image));
  img.notes.push_back(
      fmt::format("snapshot lineage of {} agrees in meta.db and the overlayfs "
                  "metadata.db ({} layers{})",
                  cid, chain_keys.size(), first_layer == 2 ? " + init" : ""));
  VERIFIED_RETURN_IF_ERROR(AttachSnapshotLayers(
      root, files.SnapshotterRoot(), links, chain_keys, *chosen, ctx.mounts, ctx.rootfs,
      "mount at root.path checked: overlay lowerdirs are init + the chain", img));
  // dockerd binds the same per-container files whichever store holds the image; the
  // snapshot's upperdir is not named here, so the container layer is not inspected.
  img.engine_files = docker::ContainerFiles(data_root, cid, "");
  return img;
}

}  // namespace

std::optional<std::pair<std::string, std::string>> SplitDockerSnapshotRootfs(
    const std::string& rootfs) {
  auto cut = [](const std::string& p) -> std::pair<std::string, std::string> {
    auto slash = p.rfind('/');
    if (slash == std::string::npos) return {"", ""};
    return {p.substr(0, slash), p.substr(slash + 1)};
  };
  auto [a, cid] = cut(rootfs);
  auto [b, snapshotter] = cut(a);
  auto [data_root, dir] = cut(b);
  if (dir != "rootfs" || snapshotter != "overlayfs" || !IsHex64(cid) || data_root.empty()) {
    return std::nullopt;
  }
  return std::make_pair(data_root, cid);
}

Result<std::optional<ResolvedImage>> DockerContainerdStore::Resolve(
    const ContainerContext& ctx) const {
  auto split = SplitDockerSnapshotRootfs(ctx.rootfs);
  if (!split) return std::optional<ResolvedImage>();
  const auto& [data_root, cid] = *split;
  struct stat st;
  std::string marker = data_root + "/containers";
  if (stat(marker.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return std::optional<ResolvedImage>();
  }
  auto img = ResolveDocker(ctx, data_root, cid);
  if (!img.ok()) return Wrap(std::move(img).error(), "docker containerd store {}", data_root);
  return std::optional<ResolvedImage>(std::move(img).value());
}

}  // namespace verified
