#include "verifier/store/cstorage/cstorage_store.h"

#include <sys/stat.h>

#include <algorithm>

#include "verifier/image/image_config.h"
#include "verifier/store/cstorage/graphroot.h"
#include "verifier/store/cstorage/image_names.h"
#include "verifier/store/cstorage/overlay_mount.h"
#include "verifier/store/cstorage/podman_files.h"

namespace verified {
namespace {

using cstorage::ContainerRecord;
using cstorage::GraphRoot;
using cstorage::ImageRecord;

std::pair<std::string, std::string> CutLastStorage(const std::string& p) {
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return {"", ""};
  return {p.substr(0, slash), p.substr(slash + 1)};
}

bool IsDir(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

const ImageRecord* FindImage(const std::vector<ImageRecord>& images, const std::string& id) {
  auto it =
      std::find_if(images.begin(), images.end(), [&](const ImageRecord& r) { return r.id == id; });
  return it == images.end() ? nullptr : &*it;
}

// A manifest digest confirms a repo@digest name only when storage holds a manifest with
// exactly those bytes.
cstorage::ManifestCheck ManifestHasher(const GraphRoot& root, const ImageRecord& image) {
  return [&root, &image](const std::string& digest) {
    auto digests = cstorage::ManifestDigests(image);
    if (std::find(digests.begin(), digests.end(), digest) == digests.end()) return false;
    std::string rel =
        "overlay-images/" + image.id + "/" + cstorage::BigDataFileName("manifest-" + digest);
    auto text = root.dir().ReadFile(rel, kMaxImageConfigBytes);
    return text.ok() && CheckDigest(*text, digest, "manifest").ok();
  };
}

// Finds the container whose read-write layer is root.path's, and checks it is the one the
// engine asked us to create.
Result<ContainerRecord> ContainerForLayer(const GraphRoot& root, const std::string& layer,
                                          const std::string& container_id) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ContainerRecord> all, root.Containers());
  auto it = std::find_if(all.begin(), all.end(),
                         [&](const ContainerRecord& c) { return c.layer_id == layer; });
  if (it == all.end()) {
    return MakeError(ErrorKind::kInconsistent,
                     "no container in containers.json uses layer {} (the layer of root.path)",
                     layer);
  }
  if (std::count_if(all.begin(), all.end(),
                    [&](const ContainerRecord& c) { return c.layer_id == layer; }) > 1) {
    return MakeError(ErrorKind::kInconsistent, "several containers claim layer {}", layer);
  }
  if (it->id != container_id) {
    return MakeError(ErrorKind::kInconsistent,
                     "root.path is the layer of storage container {}, not of container {} being "
                     "created",
                     it->id, container_id);
  }
  if (!cstorage::IsStorageId(it->image_id)) {
    return MakeError(ErrorKind::kUnsupported,
                     "container {} has no image in storage (image '{}'; rootfs containers are "
                     "not supported)",
                     it->id, it->image_id);
  }
  return *it;
}

Result<ResolvedImage> ResolveInRoot(const ContainerContext& ctx, const std::string& graphroot,
                                    const std::string& layer) {
  VERIFIED_ASSIGN_OR_RETURN(GraphRoot root, GraphRoot::Open(graphroot));
  VERIFIED_ASSIGN_OR_RETURN(ContainerRecord ctr, ContainerForLayer(root, layer, ctx.container_id));
  VERIFIED_ASSIGN_OR_RETURN(cstorage::LayerIndex layers, root.Layers());
  auto own = layers.find(layer);
  if (own == layers.end()) {
    return MakeError(ErrorKind::kInconsistent, "container layer {} is not in layers.json", layer);
  }
  if (own->second.incomplete || own->second.id_mapped) {
    return MakeError(ErrorKind::kUnsupported, "container layer {} is incomplete or ID-mapped",
                     layer);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, root.Images());
  const ImageRecord* image = FindImage(images, ctr.image_id);
  if (image == nullptr) {
    return MakeError(ErrorKind::kInconsistent,
                     "container {} uses image {}, which images.json lacks", ctr.id, ctr.image_id);
  }
  if (own->second.parent != image->top_layer) {
    return MakeError(ErrorKind::kInconsistent,
                     "container layer {} has parent '{}' but image {} has top layer '{}'", layer,
                     own->second.parent, image->id, image->top_layer);
  }
  VERIFIED_ASSIGN_OR_RETURN(ResolvedImage img, root.LoadImage(*image, layers));
  cstorage::TypedName typed =
      cstorage::DecideTypedName(ctx.spec, ctr, *image, img.names, ManifestHasher(root, *image));
  img.typed_reference = typed.name;
  img.typed_confirmed = typed.confirmed;
  img.notes.insert(img.notes.end(), typed.notes.begin(), typed.notes.end());
  if (ctx.mounts == nullptr) {
    img.notes.push_back("rootfs not mounted: overlay lowerdir cross-check skipped");
  } else {
    VERIFIED_RETURN_IF_ERROR(
        cstorage::CheckStorageMount(*ctx.mounts, ctx.rootfs, graphroot, layer, img.layers));
    img.notes.push_back("mount at root.path checked: overlay lowerdirs are the image's chain");
  }
  img.engine_files = cstorage::ContainerFiles(graphroot, ctx.container_id,
                                              ctx.spec ? ctx.spec->raw : nlohmann::json());
  return img;
}

}  // namespace

std::string ContainersStorageStore::Name() const { return cstorage::kEngineName; }

std::optional<std::pair<std::string, std::string>> SplitStorageRootfs(const std::string& rootfs) {
  auto [a, merged] = CutLastStorage(rootfs);
  auto [b, layer] = CutLastStorage(a);
  auto [graphroot, overlay] = CutLastStorage(b);
  if (merged != "merged" || overlay != "overlay" || !cstorage::IsStorageId(layer) ||
      graphroot.empty()) {
    return std::nullopt;
  }
  return std::make_pair(graphroot, layer);
}

Result<std::optional<ResolvedImage>> ContainersStorageStore::Resolve(
    const ContainerContext& ctx) const {
  auto split = SplitStorageRootfs(ctx.rootfs);
  if (!split) return std::optional<ResolvedImage>();
  const auto& [graphroot, layer] = *split;
  if (!IsDir(graphroot + "/overlay-layers") || !IsDir(graphroot + "/overlay-containers")) {
    return std::optional<ResolvedImage>();  // the shape, but not a containers/storage root
  }
  auto img = ResolveInRoot(ctx, graphroot, layer);
  if (!img.ok()) return Wrap(std::move(img).error(), "containers/storage {}", graphroot);
  return std::optional<ResolvedImage>(std::move(img).value());
}

Result<ResolvedImage> LoadContainersStorageImage(const std::string& graphroot,
                                                 const std::string& image_id) {
  std::string id = image_id.rfind("sha256:", 0) == 0 ? image_id.substr(7) : image_id;
  VERIFIED_ASSIGN_OR_RETURN(GraphRoot root, GraphRoot::Open(graphroot));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, root.Images());
  const ImageRecord* image = FindImage(images, id);
  if (image == nullptr) {
    return MakeError(ErrorKind::kNotFound, "image {} is not in {}/overlay-images/images.json", id,
                     graphroot);
  }
  VERIFIED_ASSIGN_OR_RETURN(cstorage::LayerIndex layers, root.Layers());
  return root.LoadImage(*image, layers);
}

}  // namespace verified
