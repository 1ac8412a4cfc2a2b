#include "verifier/store/docker/buildkit_base.h"

#include <set>

#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"
#include "verifier/store/docker/limits.h"
#include "verifier/store/docker/overlay2_store.h"
#include "verifier/store/docker/repositories.h"

namespace verified::docker {
namespace {

// Distinct image IDs Docker's tag store names. Only a named image can be a FROM for BuildKit
// on dockerd (it resolves the FROM reference through this store), and only a name can match
// a policy rule; untagged images are not candidates.
Result<std::set<std::string>> TaggedImageIds(const std::string& data_root) {
  VERIFIED_ASSIGN_OR_RETURN(Dir imgdir, Dir::Open(data_root + "/image/overlay2"));
  VERIFIED_ASSIGN_OR_RETURN(bool has_repos, imgdir.Exists("repositories.json"));
  std::set<std::string> ids;
  if (!has_repos) return ids;
  VERIFIED_ASSIGN_OR_RETURN(std::string text,
                            imgdir.ReadFile("repositories.json", kMaxRepositoriesBytes));
  VERIFIED_ASSIGN_OR_RETURN(TagMap tags, ParseRepositories(text));
  for (const auto& [name, id] : tags) ids.insert(id);
  if (ids.size() > kMaxBaseCandidates) {
    return MakeError(ErrorKind::kUnsupported,
                     "repositories.json names {} images; at most {} are searched for a build's "
                     "base",
                     ids.size(), kMaxBaseCandidates);
  }
  return ids;
}

// The chainIDs of a stored image, from its config (hashed against the ID first).
Result<std::vector<std::string>> ChainOf(const Dir& imgdir, const std::string& image_id) {
  std::string rel = "imagedb/content/sha256/" + std::string(DigestHex(image_id));
  VERIFIED_ASSIGN_OR_WRAP(std::string text, imgdir.ReadFile(rel, kMaxImageConfigBytes), "image {}",
                          image_id);
  VERIFIED_RETURN_IF_ERROR(CheckDigest(text, image_id, "imagedb config of " + image_id));
  VERIFIED_ASSIGN_OR_RETURN(ImageConfig cfg, ParseImageConfig(text, "image config " + image_id));
  return ChainIds(cfg.diff_ids);
}

// True when the layers of `chain` (their layerdb cache-ids, bottom first) are exactly the
// first dirs of `bottom_up`. Reads one cache-id per layer up to the first difference, so
// images that are not the base cost little; the winner is then walked in full.
Result<bool> IsBottomPrefix(const Dir& layerdb, const std::vector<std::string>& chain,
                            const std::vector<std::string>& bottom_up) {
  if (chain.empty() || chain.size() > bottom_up.size()) return false;
  for (size_t i = 0; i < chain.size(); ++i) {
    std::string rel = "sha256/" + std::string(DigestHex(chain[i])) + "/cache-id";
    VERIFIED_ASSIGN_OR_WRAP(std::string cache_id, layerdb.ReadFile(rel, kMaxIdFileBytes),
                            "layer {}", chain[i]);
    if (cache_id != bottom_up[i]) return false;
  }
  return true;
}

}  // namespace

Result<BuildBase> FindBuildBase(const std::string& data_root,
                                const std::vector<std::string>& bottom_up) {
  VERIFIED_ASSIGN_OR_RETURN(std::set<std::string> ids, TaggedImageIds(data_root));
  VERIFIED_ASSIGN_OR_RETURN(Dir imgdir, Dir::Open(data_root + "/image/overlay2"));
  VERIFIED_ASSIGN_OR_RETURN(Dir layerdb, imgdir.OpenDir("layerdb"));
  std::vector<std::string> best;  // image IDs whose chain is the longest prefix found
  size_t best_len = 0;
  for (const auto& id : ids) {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> chain, ChainOf(imgdir, id));
    if (chain.size() < best_len) continue;
    VERIFIED_ASSIGN_OR_RETURN(bool prefix, IsBottomPrefix(layerdb, chain, bottom_up));
    if (!prefix) continue;
    if (chain.size() > best_len) best.clear();
    best_len = chain.size();
    best.push_back(id);
  }
  if (best.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "its bottom layers are not the whole layer chain of any tagged image in "
                     "Docker's image store, so the build's base cannot be proven (a base BuildKit "
                     "pulled itself, or a FROM scratch build)");
  }
  if (best.size() > 1) {
    std::string which;
    for (const auto& id : best) {
      VERIFIED_ASSIGN_OR_RETURN(ResolvedImage img, LoadDockerImage(data_root, id));
      which +=
          (which.empty() ? "" : ", ") + (img.names.empty() ? id : img.names.front() + " " + id);
    }
    return MakeError(ErrorKind::kInconsistent,
                     "its bottom {} layers are the whole layer chain of {} different images "
                     "({}): the mount cannot tell which one the build is FROM (untag all but one)",
                     best_len, best.size(), which);
  }
  BuildBase base;
  VERIFIED_ASSIGN_OR_RETURN(base.image, LoadDockerImage(data_root, best.front()));
  base.added_layers = bottom_up.size() - base.image.layers.size();
  return base;
}

}  // namespace verified::docker
