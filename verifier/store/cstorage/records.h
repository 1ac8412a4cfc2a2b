// The record files of containers/storage (Podman, CRI-O, Buildah), parsed as untrusted input.
//
//   <graphroot>/overlay-containers/containers.json   [{"id","names","image","layer","metadata"}]
//   <graphroot>/overlay-images/images.json           [{"id","digest","names","layer",
//                                                      "mapped-layers","big-data-names",
//                                                      "big-data-digests"}]
//   <graphroot>/overlay-layers/layers.json           [{"id","parent","diff-digest","flags",
//                                                      "uidmap","gidmap"}]
// Field names and meanings follow containers/storage containers.go, images.go and layers.go.
// Each file is a JSON array (empty file or `null` = no records). Unknown keys are ignored; a
// known key with the wrong type, a missing id or a duplicate id is a kParse error, because
// only the engine writes these files and garbage means corruption or tampering.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::cstorage {

/// One entry of layers.json (or volatile-layers.json).
struct LayerRecord {
  std::string id;
  std::string parent;       ///< "" for a bottom layer
  std::string diff_digest;  ///< "diff-digest": sha256 of the uncompressed tar (the diffID)
  bool incomplete = false;  ///< flags.incomplete: an interrupted write; never trusted
  bool id_mapped = false;   ///< non-empty uidmap/gidmap: an ID-shifted copy
};

/// One entry of images.json.
struct ImageRecord {
  std::string id;                  ///< 64 hex; for OCI/schema2 images the config digest's hex
  std::string digest;              ///< "digest": the manifest digest ("" when unknown)
  std::vector<std::string> names;  ///< "repo:tag" and "repo@sha256:..." as the engine stored them
  std::string top_layer;           ///< "layer": "" for an image without layers
  std::vector<std::string> mapped_top_layers;
  std::vector<std::string> big_data_names;
  std::map<std::string, std::string> big_data_digests;
  /// "metadata": a JSON object in a string that containers/image writes (signature sizes,
  /// storage_dest.go storageImageMetadata); "" when absent. At most kMaxMetadataBytes.
  std::string metadata;
};

/// One entry of containers.json (or volatile-containers.json).
struct ContainerRecord {
  std::string id;
  std::vector<std::string> names;
  std::string image_id;  ///< "image"
  std::string layer_id;  ///< "layer": the container's read-write layer
  /// From the JSON-in-a-string "metadata" written by Podman and CRI-O: the image name the
  /// engine resolved when it created the container ("" when absent or unreadable).
  std::string metadata_image_name;
};

/// Parses layers.json text. `what` names the file in errors.
Result<std::vector<LayerRecord>> ParseLayers(std::string_view text, std::string_view what);

/// Parses images.json text.
Result<std::vector<ImageRecord>> ParseImages(std::string_view text, std::string_view what);

/// Parses containers.json text.
Result<std::vector<ContainerRecord>> ParseContainers(std::string_view text, std::string_view what);

/// True for a containers/storage id we accept as a path component: 64 lowercase hex.
bool IsStorageId(std::string_view id);

}  // namespace verified::cstorage
