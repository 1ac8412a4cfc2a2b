#include "fake_graphroot.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "verifier/crypto/sha256.h"
#include "verifier/store/cstorage/graphroot.h"

namespace verified::testing {
namespace fs = std::filesystem;

FakeGraphRoot::FakeGraphRoot() {
  char tmpl[] = "/tmp/vfy-cstorage-test.XXXXXX";
  root_ = mkdtemp(tmpl);
  for (const char* d : {"overlay-containers", "overlay-images", "overlay-layers", "overlay/l"}) {
    fs::create_directories(root_ + "/" + d);
  }
}

FakeGraphRoot::~FakeGraphRoot() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

void FakeGraphRoot::Write(const std::string& rel, const std::string& content) const {
  fs::path p = root_ + "/" + rel;
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary | std::ios::trunc) << content;
}

std::string FakeGraphRoot::NewLink(const std::string& layer_id) {
  // Real links are 26 base32 characters; any unique name the driver wrote will do.
  std::string link = "LINK" + std::to_string(++counter_) + "ABCDEFGHIJKLMNOPQRSTUV";
  link.resize(26, 'Z');
  fs::create_symlink("../" + layer_id + "/diff", root_ + "/overlay/l/" + link);
  Write("overlay/" + layer_id + "/link", link);
  return link;
}

FakeCsImage FakeGraphRoot::AddImage(const std::string& seed, size_t n,
                                    std::vector<std::string> names) {
  FakeCsImage img;
  std::string parent;
  for (size_t i = 0; i < n; ++i) {
    std::string diff = Sha256Digest(seed + "-tar-" + std::to_string(i));
    // Layer ids are not chainIDs: c/image derives them from more than the diffIDs.
    std::string id = Sha256Hex(seed + "-layer-" + std::to_string(i));
    fs::create_directories(root_ + "/overlay/" + id + "/diff");
    Write("overlay/" + id + "/diff/file" + std::to_string(i), seed);
    Write("overlay-layers/" + id + ".tar-split.gz", "tar-split");
    nlohmann::json l = {{"id", id}, {"diff-digest", diff}, {"compressed-diff-digest", diff}};
    if (!parent.empty()) l["parent"] = parent;
    layers.push_back(l);
    img.links.push_back(NewLink(id));
    img.layer_ids.push_back(id);
    img.diff_ids.push_back(diff);
    parent = id;
  }
  nlohmann::json config = {{"architecture", "amd64"},
                           {"os", "linux"},
                           {"config", {{"Cmd", {"/bin/sh"}}, {"Labels", {{"seed", seed}}}}},
                           {"rootfs", {{"type", "layers"}, {"diff_ids", img.diff_ids}}}};
  std::string config_text = config.dump();
  img.id = Sha256Hex(config_text);
  std::string key = "sha256:" + img.id;
  Write("overlay-images/" + img.id + "/" + cstorage::BigDataFileName(key), config_text);
  std::string manifest =
      nlohmann::json({{"schemaVersion", 2},
                      {"config",
                       {{"mediaType", "application/vnd.oci.image.config.v1+json"},
                        {"digest", key},
                        {"size", config_text.size()}}},
                      {"seed", seed}})
          .dump();
  img.manifest_digest = Sha256Digest(manifest);
  std::string mkey = "manifest-" + img.manifest_digest;
  Write("overlay-images/" + img.id + "/" + cstorage::BigDataFileName(mkey), manifest);
  Write("overlay-images/" + img.id + "/manifest", manifest);
  nlohmann::json rec = {
      {"id", img.id},
      {"digest", img.manifest_digest},
      {"big-data-names", {key, mkey, "manifest"}},
      {"big-data-digests",
       {{key, key}, {mkey, img.manifest_digest}, {"manifest", img.manifest_digest}}}};
  if (!names.empty()) rec["names"] = names;
  if (!parent.empty()) rec["layer"] = parent;
  images.push_back(rec);
  return img;
}

FakeCsContainer FakeGraphRoot::AddContainer(const FakeCsImage& image,
                                            const std::string& metadata_name) {
  FakeCsContainer c;
  c.id = Sha256Hex("container-" + std::to_string(++counter_) + image.id);
  c.layer = Sha256Hex("ctr-layer-" + c.id);
  for (const char* d : {"/diff", "/work", "/merged", "/empty"}) {
    fs::create_directories(root_ + "/overlay/" + c.layer + d);
  }
  NewLink(c.layer);
  nlohmann::json l = {{"id", c.layer}, {"names", {c.id.substr(0, 12) + "-layer"}}};
  if (!image.layer_ids.empty()) l["parent"] = image.layer_ids.back();
  layers.push_back(l);
  nlohmann::json meta = {{"image-id", image.id}, {"name", "c"}};
  if (!metadata_name.empty()) meta["image-name"] = metadata_name;
  containers.push_back({{"id", c.id},
                        {"names", {"c" + std::to_string(counter_)}},
                        {"image", image.id},
                        {"layer", c.layer},
                        {"metadata", meta.dump()}});
  c.rootfs = root_ + "/overlay/" + c.layer + "/merged";
  return c;
}

void FakeGraphRoot::Flush() const {
  Write("overlay-containers/containers.json", containers.dump());
  Write("overlay-images/images.json", images.dump());
  Write("overlay-layers/layers.json", layers.dump());
}

std::vector<MountEntry> FakeGraphRoot::Mounts(const FakeCsContainer& c, const FakeCsImage& image,
                                              bool relative) const {
  std::string home = root_ + "/overlay";
  std::string prefix = relative ? "" : home + "/";
  std::string lower;
  for (size_t i = image.links.size(); i-- > 0;) {
    lower += (lower.empty() ? "" : ":") + prefix + "l/" + image.links[i];
  }
  if (lower.empty()) lower = home + "/" + c.layer + "/empty";
  MountEntry m;
  m.id = 100;
  m.parent = 1;
  struct stat st;
  stat(c.rootfs.c_str(), &st);
  m.dev = st.st_dev;
  m.root = "/";
  m.mount_point = c.rootfs;
  m.fs_type = "overlay";
  m.source = "overlay";
  m.super_options = "rw,lowerdir=" + lower + ",upperdir=" + prefix + c.layer +
                    "/diff,workdir=" + prefix + c.layer + "/work";
  return {m};
}

}  // namespace verified::testing
