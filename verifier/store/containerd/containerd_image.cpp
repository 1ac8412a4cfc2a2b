#include "verifier/store/containerd/containerd_image.h"

#include <algorithm>

#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/store/containerd/limits.h"
#include "verifier/store/containerd/snapshot_chain.h"
#include "verifier/store/containerd/snapshot_mount.h"

namespace verified::containerd {
namespace {

constexpr const char* kEngine = "containerd";

Descriptor TargetOf(const ImageRecord& rec) {
  return Descriptor{rec.target_digest, rec.target_media_type, rec.target_size};
}

// Which of `configs` is `want` (an image ID typed by the user), if any.
const ManifestConfig* FindConfig(const std::vector<ManifestConfig>& configs,
                                 const std::string& want) {
  for (const auto& mc : configs) {
    if (mc.config_digest == want) return &mc;
  }
  return nullptr;
}

}  // namespace

Result<ContainerdFiles> ContainerdFiles::Open(const std::string& root) {
  VERIFIED_ASSIGN_OR_WRAP(Dir dir, Dir::Open(root), "containerd root");
  VERIFIED_ASSIGN_OR_RETURN(bbolt::Db meta, bbolt::Db::Open(dir, kMetadataDb));
  VERIFIED_ASSIGN_OR_RETURN(ContentStore content, ContentStore::Open(dir));
  return ContainerdFiles{root, std::move(dir), std::move(meta), std::move(content)};
}

Result<bbolt::Db> ContainerdFiles::OpenSnapshotDb() const {
  // fmt: see the PR105329 note in containerd_root.cpp.
  return bbolt::Db::Open(dir, fmt::format("{}/metadata.db", kOverlayfsRoot));
}

std::string ContainerdFiles::SnapshotterRoot() const { return root + "/" + kOverlayfsRoot; }

Result<const std::vector<ManifestConfig>*> ConfigCache::Configs(const ImageRecord& rec) {
  auto it = by_target_.find(rec.target_digest);
  if (it != by_target_.end()) return &it->second;
  VERIFIED_ASSIGN_OR_WRAP(std::vector<ManifestConfig> configs,
                          ResolveTarget(content_, TargetOf(rec), HostPlatform()), "image {}",
                          rec.name);
  return &by_target_.emplace(rec.target_digest, std::move(configs)).first->second;
}

Result<std::optional<ImageRecord>> FindImageRecord(bbolt::Tx& tx, const std::string& ns,
                                                   const std::string& typed) {
  if (typed.empty()) return std::optional<ImageRecord>();
  VERIFIED_ASSIGN_OR_RETURN(std::optional<ImageRecord> rec, ReadImage(tx, ns, typed));
  if (rec) return rec;
  auto ref = ParseReference(typed);
  if (!ref.ok() || ref->String() == typed) return std::optional<ImageRecord>();
  return ReadImage(tx, ns, ref->String());
}

Result<std::vector<ImageRecord>> ReadAllImages(const ContainerdFiles& files,
                                               const std::string& ns) {
  return files.meta.View<std::vector<ImageRecord>>(
      [&](bbolt::Tx& tx) { return ListImages(tx, ns); });
}

Result<std::vector<std::string>> NamesForConfig(const std::vector<ImageRecord>& images,
                                                const std::string& config_digest,
                                                ConfigCache& cache) {
  std::vector<std::string> names;
  for (const auto& rec : images) {
    if (ParseImageId(rec.name)) continue;
    auto ref = ParseReference(rec.name);
    if (!ref.ok()) continue;
    auto configs = cache.Configs(rec);
    // An unrelated broken image must not stop this one from being named: skip it.
    if (!configs.ok() || FindConfig(**configs, config_digest) == nullptr) continue;
    names.push_back(ref->String());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

std::vector<std::string> NamesForTargets(const std::vector<ImageRecord>& images,
                                         const std::vector<std::string>& targets) {
  std::vector<std::string> names;
  for (const auto& rec : images) {
    if (std::find(targets.begin(), targets.end(), rec.target_digest) == targets.end()) continue;
    // moby's containerd image service keeps an untagged image as "moby-dangling@<digest>".
    if (rec.name.rfind("moby-dangling@", 0) == 0 || ParseImageId(rec.name)) continue;
    auto ref = ParseReference(rec.name);
    if (ref.ok()) names.push_back(ref->String());
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

ResolvedImage ImageFromManifest(const std::string& engine, const std::string& root,
                                const ManifestConfig& mc) {
  ResolvedImage img;
  img.engine = engine;
  img.store_root = root;
  img.image_id = mc.config_digest;
  img.diff_ids = mc.config.diff_ids;
  img.chain_ids = ChainIds(img.diff_ids);
  img.config = mc.config.doc;
  img.notes.push_back("manifest " + mc.manifest_digest + " and config " + mc.config_digest +
                      " read from the content store and hashed");
  // Only paths are recorded: the blobs were hashed just now by ResolveTarget, and a signature
  // check re-reads and re-hashes them (ReadManifestFile) when a rule asks for one.
  auto blob = [&](const std::string& digest) {
    return ManifestFile{digest, root + "/" + kBlobsDir + "/" + std::string(DigestHex(digest))};
  };
  for (const auto& index : mc.index_digests) img.manifest_files.push_back(blob(index));
  img.manifest_files.push_back(blob(mc.manifest_digest));
  return img;
}

void AttachLayerBlobs(const std::string& root, const ManifestConfig& mc, ResolvedImage& img) {
  // The manifest's layers and the config's diff_ids pair up one to one (OCI image spec); a
  // manifest that disagrees leaves `blob` empty and the content check refuses for lack of it.
  if (mc.layers.size() != img.layers.size()) return;
  for (size_t i = 0; i < mc.layers.size(); ++i) {
    if (!IsSha256Digest(mc.layers[i].digest)) continue;
    img.layers[i].blob = root + "/" + kBlobsDir + "/" + std::string(DigestHex(mc.layers[i].digest));
  }
}

Result<std::optional<std::vector<LayerLocation>>> CommittedLayers(
    const ContainerdFiles& files, const std::string& ns, const std::vector<std::string>& diff_ids,
    const std::vector<std::string>& chain_ids) {
  using Out = std::optional<std::vector<LayerLocation>>;
  std::vector<LayerLocation> layers;
  if (chain_ids.empty()) return Out(layers);
  VERIFIED_ASSIGN_OR_RETURN(bool present, files.meta.View<bool>([&](bbolt::Tx& tx) -> Result<bool> {
    VERIFIED_ASSIGN_OR_RETURN(auto ref, ReadSnapshotRef(tx, ns, "overlayfs", chain_ids.back()));
    return ref.has_value();
  }));
  if (!present) return Out();
  VERIFIED_ASSIGN_OR_RETURN(bbolt::Db snaps, files.OpenSnapshotDb());
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ChainLink> links,
                            ResolveLineage(files.meta, snaps, ns, "overlayfs", chain_ids.back()));
  if (links.size() != chain_ids.size()) {
    return MakeError(ErrorKind::kInconsistent,
                     "snapshot {} has {} ancestors in namespace {}, the image has {} layers",
                     chain_ids.back(), links.size(), ns, chain_ids.size());
  }
  for (size_t i = 0; i < chain_ids.size(); ++i) {
    const ChainLink& l = links[chain_ids.size() - 1 - i];
    if (l.key != chain_ids[i] || l.kind != SnapshotKind::kCommitted) {
      return MakeError(ErrorKind::kInconsistent,
                       "layer {}: expected committed snapshot {}, found {} snapshot '{}'", i + 1,
                       chain_ids[i], SnapshotKindName(l.kind), l.key);
    }
    layers.push_back(LayerLocation{diff_ids[i], chain_ids[i],
                                   SnapshotFsDir(files.SnapshotterRoot(), l.id), "",
                                   std::to_string(l.id), ""});
  }
  return Out(std::move(layers));
}

Result<ResolvedImage> LoadContainerdImage(const std::string& root, const std::string& ns,
                                          const std::string& typed) {
  VERIFIED_ASSIGN_OR_RETURN(ContainerdFiles files, ContainerdFiles::Open(root));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, ReadAllImages(files, ns));
  ConfigCache cache(files.content);
  std::optional<std::string> id = ParseImageId(typed);
  const ManifestConfig* chosen = nullptr;
  bool by_name = false;
  if (!id) {
    VERIFIED_ASSIGN_OR_RETURN(std::optional<ImageRecord> rec,
                              files.meta.View<std::optional<ImageRecord>>(
                                  [&](bbolt::Tx& tx) { return FindImageRecord(tx, ns, typed); }));
    if (!rec) {
      return MakeError(ErrorKind::kNotFound, "containerd has no image '{}' in namespace {}", typed,
                       ns);
    }
    VERIFIED_ASSIGN_OR_RETURN(const std::vector<ManifestConfig>* configs, cache.Configs(*rec));
    if (configs->empty()) {
      return MakeError(ErrorKind::kNotFound, "image '{}' has no manifest for {}/{}", typed,
                       HostPlatform().os, HostPlatform().architecture);
    }
    chosen = &configs->front();
    by_name = true;
  } else {
    for (const auto& rec : images) {
      auto configs = cache.Configs(rec);
      if (configs.ok() && (chosen = FindConfig(**configs, *id)) != nullptr) break;
    }
    if (chosen == nullptr) {
      return MakeError(ErrorKind::kNotFound, "containerd has no image with ID {} in namespace {}",
                       *id, ns);
    }
  }
  ResolvedImage img = ImageFromManifest(kEngine, root, *chosen);
  img.typed_reference = typed;
  img.typed_confirmed = by_name;
  VERIFIED_ASSIGN_OR_RETURN(img.names, NamesForConfig(images, img.image_id, cache));
  VERIFIED_ASSIGN_OR_RETURN(auto layers, CommittedLayers(files, ns, img.diff_ids, img.chain_ids));
  if (layers) {
    img.layers = std::move(*layers);
    AttachLayerBlobs(root, *chosen, img);
    img.notes.push_back("layers found as committed overlayfs snapshots named by chainID");
  } else {
    img.notes.push_back("image not unpacked in the overlayfs snapshotter: no layer directories");
  }
  return img;
}

Status AttachSnapshotLayers(const std::string& root, const std::string& snapshotter_root,
                            const std::vector<ChainLink>& links,
                            const std::vector<std::string>& chain_keys, const ManifestConfig& mc,
                            const std::vector<MountEntry>* mounts, const std::string& rootfs,
                            const char* mount_note, ResolvedImage& img) {
  std::vector<uint64_t> lower_ids;
  for (size_t i = 1; i < links.size(); ++i) lower_ids.push_back(links[i].id);
  for (size_t i = 0; i < chain_keys.size(); ++i) {
    const ChainLink& l = links[links.size() - 1 - i];
    img.layers.push_back(LayerLocation{img.diff_ids[i], chain_keys[i],
                                       SnapshotFsDir(snapshotter_root, l.id), "",
                                       std::to_string(l.id), ""});
  }
  AttachLayerBlobs(root, mc, img);
  if (mounts == nullptr) {
    img.notes.push_back("rootfs not mounted: overlay lowerdir cross-check skipped");
    return Ok();
  }
  VERIFIED_RETURN_IF_ERROR(
      CheckSnapshotMount(*mounts, rootfs, snapshotter_root, links.front().id, lower_ids));
  img.notes.push_back(mount_note);
  return Ok();
}

}  // namespace verified::containerd
