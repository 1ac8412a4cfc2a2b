#include "verifier/store/containerd/chain_match.h"

#include <algorithm>

#include "verifier/image/digest.h"
#include "verifier/image/reference.h"

namespace verified::containerd {
namespace {

const ManifestConfig* WithChain(const std::vector<ManifestConfig>& configs,
                                const std::vector<std::string>& chain_ids) {
  for (const auto& mc : configs) {
    if (ChainIds(mc.config.diff_ids) == chain_ids) return &mc;
  }
  return nullptr;
}

// The normalised form of a record name, "" when it is an image ID or not a reference (then
// it cannot be matched by name rules, so it confirms nothing).
std::string Normalised(const std::string& name) {
  if (ParseImageId(name)) return "";
  auto ref = ParseReference(name);
  return ref.ok() ? ref->String() : "";
}

}  // namespace

Result<ChainMatch> MatchChain(const ContainerdFiles& files, const std::string& ns,
                              const std::vector<std::string>& offered,
                              const std::vector<std::string>& chain_ids) {
  ChainMatch out;
  ConfigCache cache(files.content);
  const ManifestConfig* found = nullptr;
  std::string confirmed_target;
  for (const auto& name : offered) {
    if (name.empty()) continue;
    VERIFIED_ASSIGN_OR_RETURN(std::optional<ImageRecord> rec,
                              files.meta.View<std::optional<ImageRecord>>(
                                  [&](bbolt::Tx& tx) { return FindImageRecord(tx, ns, name); }));
    const ManifestConfig* mc = nullptr;
    if (rec) {
      auto configs = cache.Configs(*rec);
      if (configs.ok()) mc = WithChain(**configs, chain_ids);
    }
    if (mc == nullptr) {
      out.notes.push_back("name '" + name +
                          "' does not name this container's image in storage: " + "not used");
      continue;
    }
    found = mc;
    confirmed_target = rec->target_digest;
    out.confirmed_name = ParseImageId(name) ? std::string() : Normalised(rec->name);
    if (out.confirmed_name.empty()) {
      out.notes.push_back("image record " + rec->name + " matches but is not a name");
      break;
    }
    out.notes.push_back("name '" + name + "' confirmed: image record " + rec->name +
                        " resolves to this layer chain");
    break;
  }
  VERIFIED_ASSIGN_OR_RETURN(std::vector<ImageRecord> images, ReadAllImages(files, ns));
  if (found == nullptr) {
    for (const auto& rec : images) {
      auto configs = cache.Configs(rec);
      if (configs.ok() && (found = WithChain(**configs, chain_ids)) != nullptr) break;
    }
  }
  if (found == nullptr) {
    return MakeError(ErrorKind::kNotFound,
                     "no image in containerd namespace {} has this container's layer chain (top "
                     "chainID {}): the image was removed or replaced after the container was "
                     "created; recreate the container",
                     ns, chain_ids.empty() ? std::string("none") : chain_ids.back());
  }
  out.manifest = *found;
  if (out.confirmed_name.empty()) {
    VERIFIED_ASSIGN_OR_RETURN(out.names, NamesForConfig(images, found->config_digest, cache));
  } else {
    // The confirmed record's other tags (same target, or the manifest itself) without
    // reading every image's blobs on the create path: deny rules are tried on all of them.
    out.names = NamesForTargets(images, {confirmed_target, found->manifest_digest});
    if (std::find(out.names.begin(), out.names.end(), out.confirmed_name) == out.names.end()) {
      out.names.push_back(out.confirmed_name);
    }
  }
  return out;
}

}  // namespace verified::containerd
