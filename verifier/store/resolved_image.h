// ResolvedImage: an image's identity as proven from an engine's storage.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/store/engine_files.h"
#include "verifier/store/manifest_files.h"

namespace verified {

/// Where one layer's files live on disk (for content verification).
struct LayerLocation {
  std::string diff_id;    ///< the layer's diffID (sha256 of its uncompressed tar)
  std::string chain_id;   ///< chainID up to and including this layer
  std::string diff_dir;   ///< absolute path of the unpacked layer directory
  std::string tar_split;  ///< absolute path of the tar-split file, "" when the store has none
  std::string layer_id;   ///< the store's own id for the layer (cache-id, layer id, snapshot)
  /// Absolute path of the layer's content-store blob (compressed tar), "" when unknown. Used
  /// for content verification where there is no tar-split (containerd snapshots).
  std::string blob;
};

/// An image, its proven identity and the names storage confirms for it.
struct ResolvedImage {
  std::string engine;      ///< resolver name, e.g. "docker-overlay2"
  std::string store_root;  ///< the engine's data root the identity was read from
  std::string image_id;    ///< "sha256:..." of the image config (Docker image ID)
  /// The reference as the user typed it, exactly as the engine recorded it ("" if unknown).
  std::string typed_reference;
  /// True when storage confirms that `typed_reference` (a name) points at this image now.
  bool typed_confirmed = false;
  /// Normalised names (repo:tag and repo@digest) storage maps to this image.
  std::vector<std::string> names;
  std::vector<std::string> diff_ids;   ///< from the hashed image config, bottom layer first
  std::vector<std::string> chain_ids;  ///< computed from diff_ids
  std::vector<LayerLocation> layers;   ///< bottom first; empty when not resolved from disk
  nlohmann::json config;               ///< the image config document (already hash-checked)
  std::vector<std::string> notes;      ///< what was checked or skipped, for `explain`
  /// The container whose rootfs this image was resolved from ("" for an image checked on its
  /// own). Set by ResolveImage; lets checks find the engine's per-container files.
  std::string container_id;
  /// True when storage proves the container is a Kubernetes pod sandbox (pause container):
  /// CRI's annotation and the engine's own record agree. Always false for images on their own.
  bool pod_sandbox = false;
  /// The engine's own files for this container (its bind-mounted files, volume roots and
  /// writable layer), filled by the store resolver that proved the container's image; empty
  /// for an image on its own. Checks read these instead of knowing engines' layouts.
  EngineFiles engine_files;
  /// The manifests and indexes the engine keeps for this image (manifest_files.h), recorded by
  /// the resolver without reading them; empty for engines that keep none (Docker overlay2).
  std::vector<ManifestFile> manifest_files;

  /// Top chainID ("" for an image with no layers).
  std::string TopChainId() const { return chain_ids.empty() ? std::string() : chain_ids.back(); }
};

}  // namespace verified
