#include "verifier/checks/sealed_layer.h"

#include <set>

#include "verifier/content/merged_tree.h"

namespace verified {
namespace {

constexpr size_t kMaxListed = 5;

std::string SealedParent(const std::string& rel) {
  auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

bool IsCode(const std::string& rel, const MergedEntry& e) {
  if (e.IsExecutable() || e.IsSymlink()) return true;
  auto slash = rel.rfind('/');
  std::string base = slash == std::string::npos ? rel : rel.substr(slash + 1);
  auto so = base.find(".so");
  return so != std::string::npos && so > 0 && (so + 3 == base.size() || base[so + 3] == '.');
}

}  // namespace

std::vector<std::string> CheckContainerLayer(const std::string& layer_dir,
                                             const ImageIntent& image) {
  LayerLocation layer;
  layer.diff_dir = layer_dir;
  auto tree = MergedTree::Build({layer});
  if (!tree.ok()) return {"cannot check the container's own layer: " + tree.error().What()};
  std::set<std::string> protected_dirs;
  for (const auto& p : image.protected_dirs) protected_dirs.insert(p.rel);
  std::vector<std::string> found;
  size_t count = 0;
  for (const auto& [rel, e] : tree->entries()) {
    bool in_protected = protected_dirs.count(SealedParent(rel)) > 0;
    if (!in_protected && !IsCode(rel, e)) continue;
    if (++count <= kMaxListed) found.push_back(AbsPath(rel));
  }
  if (found.empty()) return {};
  std::string list;
  for (const auto& f : found) list += (list.empty() ? "" : ", ") + f;
  if (count > kMaxListed) list += fmt::format(" and {} more", count - kMaxListed);
  return {
      "the container's own layer adds or replaces code since the image was made (docker cp "
      "into a stopped container?): " +
      list};
}

}  // namespace verified
