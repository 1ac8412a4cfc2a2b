// FakeGraphRoot: builds a containers/storage overlay graph root on disk, the way Podman and
// CRI-O lay it out (see verifier/store/cstorage/graphroot.h), for resolver tests. Every store
// file can then be damaged by the test to prove the resolver fails closed.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"

namespace verified::testing {

/// An image written by FakeGraphRoot.
struct FakeCsImage {
  std::string id;                      ///< 64 hex (the config digest's hex)
  std::vector<std::string> layer_ids;  ///< bottom first
  std::vector<std::string> diff_ids;   ///< bottom first
  std::vector<std::string> links;      ///< overlay/l link names, bottom first
  std::string manifest_digest;
};

/// A container written by FakeGraphRoot.
struct FakeCsContainer {
  std::string id;
  std::string layer;
  std::string rootfs;  ///< <graphroot>/overlay/<layer>/merged
};

/// A temporary graph root; removed on destruction.
class FakeGraphRoot {
 public:
  FakeGraphRoot();
  ~FakeGraphRoot();
  FakeGraphRoot(const FakeGraphRoot&) = delete;
  FakeGraphRoot& operator=(const FakeGraphRoot&) = delete;

  const std::string& path() const { return root_; }

  /// Adds an image with `layers` layers (distinct content per `seed`) and `names`.
  FakeCsImage AddImage(const std::string& seed, size_t layers, std::vector<std::string> names);
  /// Adds a container using `image`; `metadata_name` goes into its storage metadata.
  FakeCsContainer AddContainer(const FakeCsImage& image, const std::string& metadata_name = "");
  /// Writes containers.json, images.json and layers.json from the records held.
  void Flush() const;

  /// The mount table an engine would have after mounting `c` (absolute l/ lowerdirs, or
  /// relative ones as the driver uses for long option strings).
  std::vector<MountEntry> Mounts(const FakeCsContainer& c, const FakeCsImage& image,
                                 bool relative = false) const;

  /// The records, editable before Flush().
  nlohmann::json containers = nlohmann::json::array();
  nlohmann::json images = nlohmann::json::array();
  nlohmann::json layers = nlohmann::json::array();

  /// Writes `content` to graphroot-relative `rel` (creating parents).
  void Write(const std::string& rel, const std::string& content) const;

 private:
  std::string NewLink(const std::string& layer_id);
  std::string root_;
  int counter_ = 0;
};

}  // namespace verified::testing
