#include "verifier/store/docker/buildkit_base.h"

#include <set>

#include "verifier/fs/dir.h"
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

// True when the image's layers, bottom first, are exactly the first layers of `bottom_up`.
bool IsBottomPrefix(const ResolvedImage& img, const std::vector<std::string>& bottom_up) {
  if (img.layers.empty() || img.layers.size() > bottom_up.size()) return false;
  for (size_t i = 0; i < img.layers.size(); ++i) {
    if (img.layers[i].layer_id != bottom_up[i]) return false;
  }
  return true;
}

}  // namespace

Result<BuildBase> FindBuildBase(const std::string& data_root,
                                const std::vector<std::string>& bottom_up) {
  VERIFIED_ASSIGN_OR_RETURN(std::set<std::string> ids, TaggedImageIds(data_root));
  std::vector<ResolvedImage> best;
  for (const auto& id : ids) {
    VERIFIED_ASSIGN_OR_RETURN(ResolvedImage img, LoadDockerImage(data_root, id));
    if (!IsBottomPrefix(img, bottom_up)) continue;
    if (!best.empty() && best.front().layers.size() > img.layers.size()) continue;
    if (!best.empty() && best.front().layers.size() < img.layers.size()) best.clear();
    best.push_back(std::move(img));
  }
  if (best.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "its bottom layer is not the first layer of any tagged image in Docker's "
                     "image store, so the build's base cannot be proven (a base BuildKit pulled "
                     "itself, or a FROM scratch build)");
  }
  if (best.size() > 1) {
    std::string which;
    for (const auto& img : best) {
      which += (which.empty() ? "" : ", ") +
               (img.names.empty() ? img.image_id : img.names.front() + " " + img.image_id);
    }
    return MakeError(ErrorKind::kInconsistent,
                     "its bottom {} layers are the whole layer chain of {} different images "
                     "({}): the mount cannot tell which one the build is FROM (untag all but one)",
                     best.front().layers.size(), best.size(), which);
  }
  BuildBase base;
  base.added_layers = bottom_up.size() - best.front().layers.size();
  base.image = std::move(best.front());
  return base;
}

}  // namespace verified::docker
