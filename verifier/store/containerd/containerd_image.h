// Images in one containerd root: from image records and content blobs to ResolvedImage.
// Shared by the create-path resolvers (containerd/CRI and Docker's containerd store) and by
// verifiedctl register/check --engine containerd.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"
#include "verifier/core/result.h"
#include "verifier/fs/dir.h"
#include "verifier/store/containerd/bbolt.h"
#include "verifier/store/containerd/content_store.h"
#include "verifier/store/containerd/image_target.h"
#include "verifier/store/containerd/metadata_db.h"
#include "verifier/store/resolved_image.h"

namespace verified::containerd {

/// The files of one containerd root the resolvers read.
struct ContainerdFiles {
  std::string root;  ///< absolute path of containerd's root (its --root / config `root`)
  Dir dir;
  bbolt::Db meta;  ///< io.containerd.metadata.v1.bolt/meta.db
  ContentStore content;

  /// Opens the root, its metadata database and content store. kNotFound names what is missing.
  static Result<ContainerdFiles> Open(const std::string& root);
  /// Opens the overlayfs snapshotter's metadata.db.
  Result<bbolt::Db> OpenSnapshotDb() const;
  /// <root>/io.containerd.snapshotter.v1.overlayfs.
  std::string SnapshotterRoot() const;
};

/// Resolves image targets to configs, each target digest once per resolution.
class ConfigCache {
 public:
  explicit ConfigCache(const ContentStore& content) : content_(content) {}
  /// The runnable manifests of `rec`'s target for this host (see ResolveTarget).
  Result<const std::vector<ManifestConfig>*> Configs(const ImageRecord& rec);

 private:
  const ContentStore& content_;
  std::map<std::string, std::vector<ManifestConfig>> by_target_;
};

/// Looks up the image record for what a user (or an annotation) typed: the literal record
/// name first (ctr accepts any name), then the normalised reference ("app:1" ->
/// "docker.io/library/app:1"). nullopt when neither exists.
Result<std::optional<ImageRecord>> FindImageRecord(bbolt::Tx& tx, const std::string& ns,
                                                   const std::string& typed);

/// Every image record of `ns`, read in one consistent view.
Result<std::vector<ImageRecord>> ReadAllImages(const ContainerdFiles& files, const std::string& ns);

/// Normalised names of the records in `images` whose target resolves (for this host) to
/// `config_digest`, sorted. Records named by an image ID ("sha256:...", which CRI adds) or
/// that are not references are skipped: they are not names.
Result<std::vector<std::string>> NamesForConfig(const std::vector<ImageRecord>& images,
                                                const std::string& config_digest,
                                                ConfigCache& cache);

/// Normalised names of the records in `images` whose target digest is one of `targets`,
/// sorted, without reading any blob: `ctr images tag`, `nerdctl tag` and `docker tag` copy the
/// source record's target, so this finds every tag added to an image. Image-ID names and
/// dockerd's "moby-dangling@..." placeholders are skipped: they are not names.
std::vector<std::string> NamesForTargets(const std::vector<ImageRecord>& images,
                                         const std::vector<std::string>& targets);

/// The identity fields of a ResolvedImage (engine, store root, image_id = config digest,
/// diff_ids, chain_ids, config) from a resolved manifest, and its manifest_files: the indexes
/// walked and the manifest, as content-store blob paths under `root` (not read again here).
ResolvedImage ImageFromManifest(const std::string& engine, const std::string& root,
                                const ManifestConfig& mc);

/// Sets each layer's `blob` (its compressed content-store blob under `root`) from the
/// manifest's layer descriptors, when the manifest lists exactly one layer per diffID.
void AttachLayerBlobs(const std::string& root, const ManifestConfig& mc, ResolvedImage& img);

struct ChainLink;

/// Fills `img.layers` of a container's image from its snapshot lineage (`links`: the
/// container's own snapshot first, then its lower snapshots, uppermost first; `chain_keys`:
/// the image's chainIDs, bottom first, one per lower layer), attaches the layers' blobs, and
/// when `mounts` is given checks that `rootfs` is the overlay of exactly that lineage
/// (CheckSnapshotMount). `mount_note` is recorded in img.notes when it is. Errors: those of
/// CheckSnapshotMount (kNotFound, kInconsistent).
Status AttachSnapshotLayers(const std::string& root, const std::string& snapshotter_root,
                            const std::vector<ChainLink>& links,
                            const std::vector<std::string>& chain_keys, const ManifestConfig& mc,
                            const std::vector<MountEntry>* mounts, const std::string& rootfs,
                            const char* mount_note, ResolvedImage& img);

/// Where each layer of an unpacked image lives: the committed snapshots named by its
/// chainIDs in `ns` (the unpacker's naming), each checked to be committed with the previous
/// chainID as parent in both databases. nullopt when the image is not unpacked here.
Result<std::optional<std::vector<LayerLocation>>> CommittedLayers(
    const ContainerdFiles& files, const std::string& ns, const std::vector<std::string>& diff_ids,
    const std::vector<std::string>& chain_ids);

/// verifiedctl's lookup: resolves `typed` (a name, a name@digest, or an image ID = config
/// digest) in namespace `ns` of containerd root `root`, with all names storage has for it and
/// its layer locations when unpacked. kNotFound when no record matches.
Result<ResolvedImage> LoadContainerdImage(const std::string& root, const std::string& ns,
                                          const std::string& typed);

}  // namespace verified::containerd
