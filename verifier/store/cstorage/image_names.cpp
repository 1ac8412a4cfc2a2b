#include "verifier/store/cstorage/image_names.h"

#include <algorithm>

#include "verifier/image/reference.h"

namespace verified::cstorage {
namespace {

bool Confirms(const std::string& candidate, const std::vector<std::string>& names,
              const ManifestCheck& manifest_ok) {
  if (candidate.empty() || ParseImageId(candidate)) return false;
  auto ref = ParseReference(candidate);
  if (!ref.ok()) return false;
  if (std::find(names.begin(), names.end(), ref->String()) != names.end()) return true;
  if (ref->digest.empty() || !ref->tag.empty()) return false;
  // repo@digest: storage resolves it when the image is named in that repository and holds a
  // manifest with that digest (containers/storage images.go ByDigest).
  bool repo_known = std::any_of(names.begin(), names.end(), [&](const std::string& n) {
    auto r = ParseReference(n);
    return r.ok() && r->Repository() == ref->Repository();
  });
  return repo_known && manifest_ok && manifest_ok(ref->digest);
}

std::string StripSha256(const std::string& s) {
  return s.rfind("sha256:", 0) == 0 ? s.substr(7) : s;
}

}  // namespace

TypedName DecideTypedName(const Spec* spec, const ContainerRecord& ctr, const ImageRecord& image,
                          const std::vector<std::string>& names, const ManifestCheck& manifest_ok) {
  TypedName out;
  std::vector<std::pair<std::string, std::string>> candidates;  // (source, name)
  if (spec != nullptr) {
    std::string ref = spec->Annotation(kCrioImageRefAnnotation);
    if (!ref.empty() && StripSha256(ref) != image.id) {
      out.notes.push_back(fmt::format(
          "annotation {} names image {}, storage says {}: CRI-O image annotations ignored",
          kCrioImageRefAnnotation, ref, image.id));
    } else {
      for (const char* key : {kCrioImageAnnotation, kCrioImageNameAnnotation}) {
        std::string v = spec->Annotation(key);
        if (!v.empty()) candidates.emplace_back(std::string("annotation ") + key, v);
      }
    }
  }
  if (!ctr.metadata_image_name.empty()) {
    candidates.emplace_back("storage metadata image-name", ctr.metadata_image_name);
  }
  for (const auto& [source, name] : candidates) {
    if (Confirms(name, names, manifest_ok)) {
      out.name = name;
      out.confirmed = true;
      out.notes.push_back(
          fmt::format("name {} (from {}) confirmed: storage maps it to this image", name, source));
      return out;
    }
    out.notes.push_back(
        fmt::format("name {} (from {}) not used for rules: storage does not map it to this image",
                    name, source));
  }
  out.name = ctr.metadata_image_name;
  return out;
}

}  // namespace verified::cstorage
