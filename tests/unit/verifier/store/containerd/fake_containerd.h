// Test-only builder of a containerd root on disk: meta.db and the overlayfs metadata.db (bbolt,
// via BoltWriter), content blobs (config, manifest, optional index) and snapshot directories,
// laid out exactly as containerd 1.6/2.x does (see verifier/store/containerd/*.h). Used where a
// real engine cannot produce the state (Docker 29's containerd store) or to forge one.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bolt_writer.h"
#include "test_util.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified::testing {

struct FakeCtdImage {
  std::string config_digest;
  std::string manifest_digest;
  std::string target_digest;  ///< index digest when built with an index, else the manifest
  std::vector<std::string> diff_ids;
  std::vector<std::string> chain_ids;
};

class FakeContainerd {
 public:
  FakeContainerd(std::string root, std::string ns) : root_(std::move(root)), ns_(std::move(ns)) {
    std::filesystem::create_directories(root_ + "/io.containerd.content.v1.content/blobs/sha256");
    std::filesystem::create_directories(root_ +
                                        "/io.containerd.snapshotter.v1.overlayfs/snapshots");
  }

  const std::string& root() const { return root_; }
  std::string SnapDir(uint64_t id) const {
    return root_ + "/io.containerd.snapshotter.v1.overlayfs/snapshots/" + std::to_string(id) +
           "/fs";
  }

  std::string PutBlob(const std::string& bytes) {
    std::string d = Sha256Digest(bytes);
    WriteFile(root_ + "/io.containerd.content.v1.content/blobs/sha256/" + d.substr(7), bytes);
    return d;
  }

  /// An image whose layers are named by `layer_tags` (diffIDs are their hashes), committed as
  /// snapshots named by chainID unless `unpack` is false. `arch` sets the platform.
  FakeCtdImage AddImage(const std::vector<std::string>& layer_tags, bool with_index = false,
                     bool unpack = true, const std::string& arch = "amd64") {
    FakeCtdImage img;
    for (const auto& t : layer_tags) img.diff_ids.push_back(Sha256Digest("layer " + t));
    img.chain_ids = ChainIds(img.diff_ids);
    nlohmann::json cfg = {{"architecture", arch},
                          {"os", "linux"},
                          {"config", {{"Cmd", {"/bin/sh"}}}},
                          {"rootfs", {{"type", "layers"}, {"diff_ids", img.diff_ids}}}};
    std::string cfg_bytes = cfg.dump();
    img.config_digest = PutBlob(cfg_bytes);
    nlohmann::json man = {{"schemaVersion", 2},
                          {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                          {"config",
                           {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                            {"digest", img.config_digest},
                            {"size", cfg_bytes.size()}}},
                          {"layers", nlohmann::json::array()}};
    std::string man_bytes = man.dump();
    img.manifest_digest = PutBlob(man_bytes);
    img.target_digest = img.manifest_digest;
    target_types_[img.manifest_digest] = {"application/vnd.oci.image.manifest.v1+json",
                                          man_bytes.size()};
    if (with_index) {
      nlohmann::json other = {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                              {"digest", Sha256Digest("elsewhere")},
                              {"size", 10},
                              {"platform", {{"os", "linux"}, {"architecture", "s390x"}}}};
      nlohmann::json index = {{"schemaVersion", 2},
                              {"mediaType", "application/vnd.oci.image.index.v1+json"},
                              {"manifests",
                               {other,
                                {{"mediaType", "application/vnd.oci.image.manifest.v1+json"},
                                 {"digest", img.manifest_digest},
                                 {"size", man_bytes.size()},
                                 {"platform", {{"os", "linux"}, {"architecture", arch}}}}}}};
      std::string idx = index.dump();
      img.target_digest = PutBlob(idx);
      target_types_[img.target_digest] = {"application/vnd.oci.image.index.v1+json", idx.size()};
    }
    if (unpack) {
      std::string parent;
      for (const auto& c : img.chain_ids) {
        if (!HasSnapshot(c)) AddSnapshot(c, parent, 3);
        parent = c;
      }
    }
    return img;
  }

  void TagImage(const std::string& name, const FakeCtdImage& img) { Tag(name, img.target_digest); }
  void Tag(const std::string& name, const std::string& target) {
    auto [mt, size] = target_types_[target];
    auto& b = meta_.Path({"v1", ns_, "images", name});
    auto& t = b.Bucket("target");
    t.Put("digest", target).Put("mediatype", mt).Put("size", Varint(static_cast<int64_t>(size)));
  }

  /// Adds a snapshot record to both databases and makes its directory; returns its id.
  uint64_t AddSnapshot(const std::string& key, const std::string& parent, int kind) {
    uint64_t id = ++next_id_;
    std::string backend = ns_ + "/" + std::to_string(id + 100) + "/" + key;
    backends_[key] = backend;
    auto& m = meta_.Path({"v1", ns_, "snapshots", "overlayfs", key});
    m.Put("name", backend);
    if (!parent.empty()) m.Put("parent", parent);
    auto& s = snaps_.Path({"v1", "snapshots", backend});
    s.Put("id", Uvarint(id)).Put("kind", std::string(1, static_cast<char>(kind)));
    if (!parent.empty()) s.Put("parent", backends_.at(parent));
    ids_[key] = id;
    std::filesystem::create_directories(SnapDir(id));
    return id;
  }
  bool HasSnapshot(const std::string& key) const { return ids_.count(key) != 0; }
  uint64_t Id(const std::string& key) const { return ids_.at(key); }

  void AddContainer(const std::string& id, const std::string& image, const std::string& key,
                    std::map<std::string, std::string> labels = {}) {
    auto& c = meta_.Path({"v1", ns_, "containers", id});
    c.Put("image", image).Put("snapshotter", "overlayfs").Put("snapshotKey", key);
    for (const auto& [k, v] : labels) c.Bucket("labels").Put(k, v);
  }

  BoltTree& meta_tree() { return meta_; }
  BoltTree& snapshot_tree() { return snaps_; }

  void Write(BoltLayout layout = {}) {
    WriteFile(root_ + "/io.containerd.metadata.v1.bolt/meta.db", BoltWriter(layout).Build(meta_));
    WriteFile(root_ + "/io.containerd.snapshotter.v1.overlayfs/metadata.db",
              BoltWriter(layout).Build(snaps_));
  }

  static std::string Uvarint(uint64_t v) {
    std::string out;
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
    return out;
  }
  static std::string Varint(int64_t v) {
    uint64_t ux = static_cast<uint64_t>(v) << 1;
    if (v < 0) ux = ~ux;
    return Uvarint(ux);
  }

 private:
  std::string root_, ns_;
  BoltTree meta_, snaps_;
  uint64_t next_id_ = 0;
  std::map<std::string, std::string> backends_;
  std::map<std::string, uint64_t> ids_;
  std::map<std::string, std::pair<std::string, size_t>> target_types_;
};

}  // namespace verified::testing
