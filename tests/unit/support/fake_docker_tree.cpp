#include "unit/support/fake_docker_tree.h"

#include <sys/stat.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified::testing {

std::string Hex64(const std::string& seed) { return Sha256Hex(seed); }

namespace {

// overlay2/l names are 26 uppercase base32 characters (moby overlay2 generateID).
std::string ShortLink(int n) {
  std::string hex = Sha256Hex("link" + std::to_string(n));
  std::string out;
  for (size_t i = 0; i < 26; ++i) out.push_back(static_cast<char>('A' + (hex[i] % 26)));
  return out;
}

}  // namespace

FakeDockerTree::FakeDockerTree(std::string root) : root_(std::move(root)) {
  MakeDir(root_ + "/image/overlay2/layerdb/sha256");
  MakeDir(root_ + "/image/overlay2/layerdb/mounts");
  MakeDir(root_ + "/image/overlay2/imagedb/content/sha256");
  MakeDir(root_ + "/overlay2/l");
  MakeDir(root_ + "/containers");
}

FakeImage FakeDockerTree::AddImage(const std::vector<std::string>& layer_seeds,
                                   const std::vector<std::string>& tags,
                                   const std::string& config_extra) {
  FakeImage img;
  for (const auto& seed : layer_seeds) img.diff_ids.push_back("sha256:" + Hex64("diff:" + seed));
  img.chain_ids = ChainIds(img.diff_ids);
  nlohmann::json diffs = img.diff_ids;
  img.config = R"({"architecture":"amd64","config":{"Cmd":["/bin/sh"]},)" + config_extra +
               R"("os":"linux","rootfs":{"type":"layers","diff_ids":)" + diffs.dump() + "}}";
  img.image_id = Sha256Digest(img.config);
  WriteFile(
      root_ + "/image/overlay2/imagedb/content/sha256/" + std::string(DigestHex(img.image_id)),
      img.config);
  std::string layerdb = root_ + "/image/overlay2/layerdb/sha256/";
  for (size_t i = 0; i < img.chain_ids.size(); ++i) {
    std::string dir = layerdb + std::string(DigestHex(img.chain_ids[i])) + "/";
    std::string cache = Hex64("cache:" + img.chain_ids[i]);
    std::string link = ShortLink(++counter_);
    WriteFile(dir + "diff", img.diff_ids[i]);
    WriteFile(dir + "cache-id", cache);
    WriteFile(dir + "size", "0");
    if (i > 0) WriteFile(dir + "parent", img.chain_ids[i - 1]);
    MakeDir(root_ + "/overlay2/" + cache + "/diff");
    WriteFile(root_ + "/overlay2/" + cache + "/link", link);
    symlink(("../" + cache + "/diff").c_str(), (root_ + "/overlay2/l/" + link).c_str());
    img.cache_ids.push_back(cache);
    img.links.push_back(link);
  }
  for (const auto& t : tags) tags_.emplace_back(t, img.image_id);
  WriteRepositories();
  return img;
}

void FakeDockerTree::WriteRepositories() {
  nlohmann::json repos = nlohmann::json::object();
  for (const auto& [tag, id] : tags_) {
    auto ref = ParseReference(tag);
    std::string familiar = ref->Familiar();
    std::string repo = familiar.substr(0, familiar.rfind(':'));
    repos[repo][familiar] = id;
  }
  WriteFile(root_ + "/image/overlay2/repositories.json",
            nlohmann::json{{"Repositories", repos}}.dump());
}

FakeContainer FakeDockerTree::AddContainer(const FakeImage& image, const std::string& typed) {
  FakeContainer c;
  c.id = Hex64("container:" + std::to_string(++counter_));
  c.mount_id = Hex64("mount:" + c.id);
  c.rootfs = root_ + "/overlay2/" + c.mount_id + "/merged";
  MakeDir(c.rootfs);
  MakeDir(root_ + "/overlay2/" + c.mount_id + "/diff");
  std::string init = c.mount_id + "-init";
  MakeDir(root_ + "/overlay2/" + init + "/diff");
  c.init_link = ShortLink(++counter_);
  symlink(("../" + init + "/diff").c_str(), (root_ + "/overlay2/l/" + c.init_link).c_str());
  std::string mounts = root_ + "/image/overlay2/layerdb/mounts/" + c.id + "/";
  WriteFile(mounts + "mount-id", c.mount_id);
  WriteFile(mounts + "init-id", init);
  if (!image.chain_ids.empty()) WriteFile(mounts + "parent", image.chain_ids.back());
  nlohmann::json cfg = {{"ID", c.id},
                        {"Image", image.image_id},
                        {"Driver", "overlay2"},
                        {"Config", {{"Image", typed}}}};
  WriteFile(root_ + "/containers/" + c.id + "/config.v2.json", cfg.dump());
  return c;
}

MountEntry FakeDockerTree::MountFor(const FakeContainer& c, const FakeImage& image,
                                    bool relative) const {
  MountEntry m;
  struct stat st;
  stat(c.rootfs.c_str(), &st);
  m.dev = st.st_dev;
  m.mount_point = c.rootfs;
  m.fs_type = "overlay";
  m.source = "overlay";
  std::string prefix = relative ? "" : root_ + "/overlay2/";
  std::string lower = prefix + "l/" + c.init_link;
  for (auto it = image.links.rbegin(); it != image.links.rend(); ++it) {
    lower += ":" + prefix + "l/" + *it;
  }
  m.super_options = "rw,lowerdir=" + lower + ",upperdir=" + prefix + c.mount_id +
                    "/diff,workdir=" + prefix + c.mount_id + "/work";
  return m;
}

}  // namespace verified::testing
