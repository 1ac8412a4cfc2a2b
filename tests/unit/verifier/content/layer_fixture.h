// Test helper: unpacked image layers in a temporary directory, as a Docker overlay2 store
// keeps them (diff dirs with overlay whiteouts), for the content checks.
#pragma once

#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "verifier/store/resolved_image.h"

namespace verified::testing {

class LayerFixture {
 public:
  LayerFixture() {
    char tmpl[] = "/tmp/vfy-layers.XXXXXX";
    root_ = mkdtemp(tmpl);
  }
  ~LayerFixture() { std::filesystem::remove_all(root_); }

  /// Adds a layer on top and returns its index.
  size_t AddLayer() {
    std::string dir = root_ + "/l" + std::to_string(layers_.size());
    std::filesystem::create_directories(dir);
    LayerLocation l;
    l.diff_dir = dir;
    l.diff_id = "sha256:" + std::string(64, static_cast<char>('a' + layers_.size() % 6));
    layers_.push_back(l);
    return layers_.size() - 1;
  }
  std::string Path(size_t layer, const std::string& rel) const {
    return layers_[layer].diff_dir + "/" + rel;
  }
  void Mkdir(size_t layer, const std::string& rel) {
    std::filesystem::create_directories(Path(layer, rel));
  }
  void File(size_t layer, const std::string& rel, const std::string& content, mode_t mode = 0644) {
    auto p = Path(layer, rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::ofstream(p, std::ios::binary) << content;
    chmod(p.c_str(), mode);
  }
  void Copy(size_t layer, const std::string& rel, const std::string& from, mode_t mode = 0755) {
    auto p = Path(layer, rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::filesystem::copy_file(from, p);
    chmod(p.c_str(), mode);
  }
  void Symlink(size_t layer, const std::string& rel, const std::string& target) {
    auto p = Path(layer, rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    std::filesystem::create_symlink(target, p);
  }
  /// An overlay whiteout (character device 0/0); false when mknod is not permitted.
  bool Whiteout(size_t layer, const std::string& rel) {
    auto p = Path(layer, rel);
    std::filesystem::create_directories(std::filesystem::path(p).parent_path());
    return mknod(p.c_str(), S_IFCHR | 0000, makedev(0, 0)) == 0;
  }
  /// Marks a directory opaque with the trusted xattr; false when the filesystem refuses.
  bool OpaqueXattr(size_t layer, const std::string& rel) {
    return setxattr(Path(layer, rel).c_str(), "trusted.overlay.opaque", "y", 1, 0) == 0;
  }

  const std::vector<LayerLocation>& layers() const { return layers_; }
  ResolvedImage Image() const {
    ResolvedImage img;
    img.engine = "test";
    img.image_id = "sha256:" + std::string(64, 'f') + root_.substr(root_.size() - 6);
    img.layers = layers_;
    for (const auto& l : layers_) img.diff_ids.push_back(l.diff_id);
    return img;
  }

 private:
  std::string root_;
  std::vector<LayerLocation> layers_;
};

}  // namespace verified::testing
