// A builder for Docker overlay2 data roots on disk, byte-compatible with what dockerd 20.10
// writes (layerdb, imagedb, repositories.json, containers/<id>/config.v2.json, overlay2/l
// links), so resolver tests run without a daemon. e2e tests cover the real daemon.
#pragma once

#include <string>
#include <vector>

#include "verifier/bundle/mountinfo.h"

namespace verified::testing {

/// One image in the fake store.
struct FakeImage {
  std::string image_id;  ///< sha256 of config
  std::string config;    ///< the config document bytes
  std::vector<std::string> diff_ids;
  std::vector<std::string> chain_ids;
  std::vector<std::string> cache_ids;  ///< overlay2 dir per layer
  std::vector<std::string> links;      ///< overlay2/l short names per layer
};

/// One container in the fake store.
struct FakeContainer {
  std::string id;        ///< 64 hex
  std::string mount_id;  ///< 64 hex
  std::string rootfs;    ///< <data-root>/overlay2/<mount-id>/merged (a plain directory)
  std::string init_link;
};

/// Builds a Docker data root under `root`.
class FakeDockerTree {
 public:
  explicit FakeDockerTree(std::string root);

  const std::string& root() const { return root_; }

  /// Adds an image whose layers have the given contents (any distinct strings) and optional
  /// tags ("app:1"); writes layerdb, imagedb, overlay2 dirs and repositories.json.
  FakeImage AddImage(const std::vector<std::string>& layer_seeds,
                     const std::vector<std::string>& tags, const std::string& config_extra = "");

  /// Adds a container of `image`, as typed `typed` (e.g. "app:1" or the image ID).
  FakeContainer AddContainer(const FakeImage& image, const std::string& typed);

  /// The mountinfo entry the kernel would show for the container's overlay, with the
  /// rootfs's real st_dev so the resolver's device check passes.
  MountEntry MountFor(const FakeContainer& c, const FakeImage& image, bool relative = false) const;

 private:
  void WriteRepositories();
  std::string root_;
  std::vector<std::pair<std::string, std::string>> tags_;  // familiar ref -> image id
  int counter_ = 0;
};

/// 64 hex characters derived from `seed`.
std::string Hex64(const std::string& seed);

}  // namespace verified::testing
