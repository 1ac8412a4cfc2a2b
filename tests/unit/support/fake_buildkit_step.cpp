#include "unit/support/fake_buildkit_step.h"

#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit/support/temp_dir.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified::testing {

std::string BuildKitId(const std::string& seed) {
  std::string hex = Sha256Hex("bk:" + seed);
  const char* digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  std::string out;
  for (size_t i = 0; i < 25; ++i) out.push_back(digits[static_cast<unsigned char>(hex[i]) % 36]);
  return out;
}

namespace {

// A new overlay2 dir named by a BuildKit id with its l/ link; returns the link name.
std::string AddSnapshotDir(const std::string& overlay2, const std::string& id) {
  std::string link = "BK" + BuildKitId("link:" + id).substr(0, 24);
  for (auto& c : link) c = static_cast<char>(toupper(c));
  MakeDir(overlay2 + "/" + id + "/diff");
  WriteFile(overlay2 + "/" + id + "/link", link);
  symlink(("../" + id + "/diff").c_str(), (overlay2 + "/l/" + link).c_str());
  return link;
}

}  // namespace

FakeBuildKitStep AddBuildKitStep(const FakeDockerTree& tree, const FakeImage& base, int added,
                                 bool relative) {
  static int counter = 0;
  std::string overlay2 = tree.root() + "/overlay2";
  std::string tag = std::to_string(++counter);
  FakeBuildKitStep step;
  step.id = BuildKitId("exec:" + tag);
  step.rootfs = tree.root() + "/buildkit/executor/" + step.id + "/rootfs";
  MakeDir(step.rootfs);
  std::string prefix = relative ? "" : overlay2 + "/";
  std::string lower;
  for (int i = added - 1; i >= 0; --i) {
    std::string link =
        AddSnapshotDir(overlay2, BuildKitId("snap:" + tag + ":" + std::to_string(i)));
    lower += (lower.empty() ? "" : ":") + prefix + "l/" + link;
  }
  for (auto it = base.links.rbegin(); it != base.links.rend(); ++it) {
    lower += (lower.empty() ? "" : ":") + prefix + "l/" + *it;
  }
  std::string upper = BuildKitId("upper:" + tag);
  AddSnapshotDir(overlay2, upper);
  struct stat st;
  stat(step.rootfs.c_str(), &st);
  step.mount.dev = st.st_dev;
  step.mount.mount_point = step.rootfs;
  step.mount.fs_type = "overlay";
  step.mount.source = "overlay";
  step.mount.super_options = "rw,lowerdir=" + lower + ",upperdir=" + prefix + upper +
                             "/diff,workdir=" + prefix + upper + "/work";
  return step;
}

void UseBuildKitCacheId(const FakeDockerTree& tree, FakeImage& image, size_t i) {
  std::string overlay2 = tree.root() + "/overlay2";
  std::string id = BuildKitId("cache:" + image.chain_ids[i]);
  rename((overlay2 + "/" + image.cache_ids[i]).c_str(), (overlay2 + "/" + id).c_str());
  std::string link = overlay2 + "/l/" + image.links[i];
  unlink(link.c_str());
  symlink(("../" + id + "/diff").c_str(), link.c_str());
  WriteFile(tree.root() + "/image/overlay2/layerdb/sha256/" +
                std::string(DigestHex(image.chain_ids[i])) + "/cache-id",
            id);
  image.cache_ids[i] = id;
}

}  // namespace verified::testing
