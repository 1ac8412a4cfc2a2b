#include "verifier/store/docker/buildkit_store.h"

#include <sys/stat.h>

#include "verifier/store/docker/buildkit_base.h"
#include "verifier/store/docker/docker_files.h"
#include "verifier/store/docker/layerdb.h"
#include "verifier/store/docker/overlay2_mount.h"

namespace verified {
namespace {

// Splits "<a>/<b>" at the last slash.
std::pair<std::string, std::string> CutLast(const std::string& p) {
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return {"", ""};
  return {p.substr(0, slash), p.substr(slash + 1)};
}

// moby daemon/graphdriver/overlay2/overlay.go mounts relative to <overlay2> when the option
// string would exceed a page; the upperdir is then "<id>/diff".
Status CheckUpperdir(const std::string& overlay2, const std::string& upper) {
  std::string rel = upper;
  if (!upper.empty() && upper.front() == '/') {
    if (upper.compare(0, overlay2.size() + 1, overlay2 + "/") != 0) {
      return MakeError(ErrorKind::kInconsistent, "overlay upperdir {} is outside {}", upper,
                       overlay2);
    }
    rel = upper.substr(overlay2.size() + 1);
  }
  auto [id, diff] = CutLast(rel);
  if (diff != "diff" || !docker::IsGraphId(id)) {
    return MakeError(ErrorKind::kInconsistent, "overlay upperdir '{}' is not an overlay2 layer",
                     upper);
  }
  return Ok();
}

// The overlay2 dir ids of the mount's lowerdirs, bottom layer first.
Result<std::vector<std::string>> LowerLayers(const std::vector<MountEntry>& mounts,
                                             const std::string& rootfs,
                                             const std::string& overlay2) {
  VERIFIED_ASSIGN_OR_RETURN(const MountEntry* m, MountedAt(mounts, rootfs));
  if (m->fs_type != "overlay") {
    // builder-next's snapshotter bind-mounts a snapshot that has no parent: a step with no
    // image below it (FROM scratch). There is no image to prove.
    return MakeError(ErrorKind::kUnsupported,
                     "the build step's root is a {} mount, not an overlay on an image: a FROM "
                     "scratch build has no base image to prove, so its RUN steps are refused",
                     m->fs_type);
  }
  VERIFIED_ASSIGN_OR_RETURN(OverlayLayers ov, ParseOverlay(*m));
  VERIFIED_RETURN_IF_ERROR(CheckUpperdir(overlay2, ov.upper));
  std::vector<std::string> ids;
  for (auto it = ov.lower.rbegin(); it != ov.lower.rend(); ++it) {
    VERIFIED_ASSIGN_OR_RETURN(std::string id, docker::LowerdirToGraphId(overlay2, *it));
    ids.push_back(std::move(id));
  }
  return ids;
}

}  // namespace

std::optional<std::string> BuildKitDataRoot(const std::string& rootfs) {
  auto [a, leaf] = CutLast(rootfs);
  auto [b, id] = CutLast(a);
  auto [c, executor] = CutLast(b);
  auto [data_root, buildkit] = CutLast(c);
  if (leaf != "rootfs" || executor != "executor" || buildkit != "buildkit" || id.empty() ||
      id == "." || id == ".." || data_root.empty()) {
    return std::nullopt;
  }
  return data_root;
}

Result<std::optional<ResolvedImage>> DockerBuildKitStore::Resolve(
    const ContainerContext& ctx) const {
  auto data_root = BuildKitDataRoot(ctx.rootfs);
  if (!data_root) return std::optional<ResolvedImage>();
  struct stat st;
  std::string marker = *data_root + "/image/overlay2/layerdb";
  if (stat(marker.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
    return std::optional<ResolvedImage>();  // a BuildKit shape, but not dockerd's overlay2 root
  }
  auto fail = [&](Error e) {
    return Wrap(std::move(e), "BuildKit build step at {} (docker store {})", ctx.rootfs,
                *data_root);
  };
  if (ctx.mounts == nullptr) {
    // A build step is only ever decided while BuildKit has its rootfs mounted; its layers are
    // known from nowhere else.
    return fail(MakeError(ErrorKind::kNotFound, "the build step's rootfs is not mounted"));
  }
  auto lowers = LowerLayers(*ctx.mounts, ctx.rootfs, *data_root + "/overlay2");
  if (!lowers.ok()) return fail(std::move(lowers).error());
  auto base = docker::FindBuildBase(*data_root, *lowers);
  if (!base.ok()) return fail(std::move(base).error());
  ResolvedImage img = std::move(base->image);
  img.engine = Name();
  img.notes.push_back(fmt::format(
      "BuildKit build step: its bottom {} lower layers are exactly this image's chain (the "
      "build's base); the build added {} layer(s) on top, which are not proven",
      img.layers.size(), base->added_layers));
  img.notes.push_back("mount at root.path checked: every layer dir is in the overlay2 store");
  // A build step is no dockerd container: it has no containers/<id> dir; BuildKit's own
  // resolv.conf and hosts are not listed, so a sealed base's RUN steps (which never run the
  // image's entrypoint anyway) are refused. Volumes are dockerd's.
  img.engine_files = docker::ContainerFiles(*data_root, "", "");
  return std::optional<ResolvedImage>(std::move(img));
}

}  // namespace verified
