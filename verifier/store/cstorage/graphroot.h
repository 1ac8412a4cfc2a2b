// A containers/storage graph root with the overlay driver, read without taking its locks.
//
//   <graphroot>/overlay-containers/{containers,volatile-containers}.json
//   <graphroot>/overlay-images/images.json, overlay-images/<image-id>/<big-data file>
//   <graphroot>/overlay-layers/{layers,volatile-layers}.json, overlay-layers/<id>.tar-split.gz
//   <graphroot>/overlay/<layer-id>/{diff,link,lower}, overlay/l/<link> -> ../<layer-id>/diff
// The engine replaces each JSON file by rename, so an unlocked reader sees a whole old or a
// whole new file; a record that is missing because it was written a moment later fails
// closed (the caller denies, the user retries).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/fs/dir.h"
#include "verifier/store/cstorage/records.h"
#include "verifier/store/resolved_image.h"

namespace verified::cstorage {

/// Resolver name, used in messages, decision logs and registrations.
inline constexpr const char* kEngineName = "containers-storage-overlay";

/// The file name containers/storage gives a big-data item (store.go makeBigDataBaseName):
/// the key itself when it only holds [0-9a-z.], else "=" + base64(key).
std::string BigDataFileName(std::string_view key);

/// Layers by id.
using LayerIndex = std::map<std::string, LayerRecord>;

/// An opened graph root.
class GraphRoot {
 public:
  /// Opens `path` (an admin-configured or root.path-derived directory). kNotFound when it has
  /// no overlay-layers directory.
  static Result<GraphRoot> Open(const std::string& path);

  /// The graph root path as opened (for messages and LayerLocation paths).
  const std::string& path() const { return dir_.path(); }
  /// The open graph root; every read beneath it goes through this handle.
  const Dir& dir() const { return dir_; }

  /// Every container record (containers.json + volatile-containers.json). An id in both is
  /// kInconsistent.
  Result<std::vector<ContainerRecord>> Containers() const;
  /// Every image record (images.json).
  Result<std::vector<ImageRecord>> Images() const;
  /// Every layer record (layers.json + volatile-layers.json), by id.
  Result<LayerIndex> Layers() const;

  /// Proves an image from storage: its config (the big-data item "sha256:<id>") hashed
  /// against the image id, its layer chain walked from the top layer through parent links
  /// with every diff-digest equal to the config's rootfs.diff_ids, each layer's overlay diff
  /// directory present; names normalised from the record. kIntegrity / kInconsistent /
  /// kUnsupported name the first problem.
  Result<ResolvedImage> LoadImage(const ImageRecord& image, const LayerIndex& layers) const;

 private:
  explicit GraphRoot(Dir dir) : dir_(std::move(dir)) {}
  Dir dir_;
};

/// Walks `top` down through parent links, returning layer ids bottom-first. Fails on a
/// missing layer, a cycle, more than kMaxLayers layers, an incomplete or ID-mapped layer.
Result<std::vector<std::string>> LayerChain(const LayerIndex& layers, const std::string& top);

/// Normalised forms of an image record's names, sorted; a name that is not a valid reference
/// is kParse (the engine validates names, so one that is not means tampering).
Result<std::vector<std::string>> NormalisedNames(const ImageRecord& image);

/// The manifest digests storage knows for an image: "digest" plus every
/// "manifest-sha256:..." big-data key.
std::vector<std::string> ManifestDigests(const ImageRecord& image);

/// The manifest files an image record lists, without reading them: every `manifest-<digest>`
/// big-data item (c/image storage_dest.go manifestBigDataKey, one per manifest or index
/// written), then `manifest` (the default instance) when its digest is not among them. Each
/// digest is the one images.json's big-data-digests records; an item whose recorded digest
/// is missing, not sha256, or (for `manifest-<digest>`) not its key's digest is left out and
/// said so in `notes`, so a signature naming it finds no manifest (fail closed). Paths are
/// `<graphroot>/overlay-images/<id>/<BigDataFileName(key)>`.
std::vector<ManifestFile> ManifestFiles(const ImageRecord& image, const std::string& graphroot,
                                        std::vector<std::string>& notes);

}  // namespace verified::cstorage
