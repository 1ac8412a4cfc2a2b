#include "verifier/content/image_content.h"

namespace verified {
namespace {

std::string CacheKey(const ResolvedImage& image) {
  std::string key = image.image_id;
  for (const auto& l : image.layers) key += "\n" + l.diff_dir;
  return key;
}

}  // namespace

Result<std::shared_ptr<const MergedTree>> MergedTreeOf(const ResolvedImage& image) {
  static std::string cached_key;
  static std::shared_ptr<const MergedTree> cached;
  std::string key = CacheKey(image);
  if (cached != nullptr && key == cached_key) return cached;
  VERIFIED_ASSIGN_OR_RETURN(MergedTree tree, MergedTree::Build(image.layers));
  cached = std::make_shared<const MergedTree>(std::move(tree));
  cached_key = std::move(key);
  return cached;
}

}  // namespace verified
