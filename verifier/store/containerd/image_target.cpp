#include "verifier/store/containerd/image_target.h"

#include "verifier/core/json.h"
#include "verifier/image/digest.h"
#include "verifier/store/containerd/limits.h"

namespace verified::containerd {
namespace {

constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";
constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::string_view kOciConfig = "application/vnd.oci.image.config.v1+json";
constexpr std::string_view kDockerConfig = "application/vnd.docker.container.image.v1+json";

Result<Descriptor> ParseDescriptor(const nlohmann::json& j, const std::string& what) {
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{}: descriptor is not an object", what);
  Descriptor d;
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, OptionalString(j, "digest", what));
  VERIFIED_ASSIGN_OR_RETURN(d.digest, ParseDigest(digest, what + " digest"));
  VERIFIED_ASSIGN_OR_RETURN(d.media_type, OptionalString(j, "mediaType", what));
  if (auto s = j.find("size"); s != j.end()) {
    if (!s->is_number_integer() || s->get<int64_t>() < 0) {
      return MakeError(ErrorKind::kParse, "{}: size is not a non-negative integer", what);
    }
    d.size = s->get<int64_t>();
  }
  return d;
}

struct Doc {
  nlohmann::json json;
  bool is_index = false;
};

// Reads a manifest or index blob and decides which it is from its descriptor, cross-checked
// with the document's own mediaType (and shape when neither says).
Result<Doc> ReadDoc(const ContentStore& content, const Descriptor& d) {
  VERIFIED_ASSIGN_OR_RETURN(std::string bytes, content.Read(d.digest, kMaxManifestBytes, d.size));
  Doc doc;
  VERIFIED_ASSIGN_OR_RETURN(doc.json, ParseJson(bytes, "blob " + d.digest));
  if (!doc.json.is_object()) {
    return MakeError(ErrorKind::kParse, "blob {} is not a JSON object", d.digest);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string own, OptionalString(doc.json, "mediaType", d.digest));
  if (!own.empty() && !d.media_type.empty() && own != d.media_type) {
    return MakeError(ErrorKind::kInconsistent, "blob {} says it is {} but its descriptor says {}",
                     d.digest, own, d.media_type);
  }
  std::string mt = !d.media_type.empty() ? d.media_type : own;
  if (IsIndexMediaType(mt)) {
    doc.is_index = true;
  } else if (IsManifestMediaType(mt)) {
    doc.is_index = false;
  } else if (mt.empty() && (doc.json.contains("manifests") != doc.json.contains("config"))) {
    doc.is_index = doc.json.contains("manifests");
  } else {
    return MakeError(ErrorKind::kUnsupported, "blob {} has media type '{}' (not an image)",
                     d.digest, mt);
  }
  return doc;
}

Result<ManifestConfig> LoadManifest(const ContentStore& content, const std::string& digest,
                                    const nlohmann::json& manifest) {
  auto cfg = manifest.find("config");
  if (cfg == manifest.end()) {
    return MakeError(ErrorKind::kParse, "manifest {} has no config", digest);
  }
  VERIFIED_ASSIGN_OR_RETURN(Descriptor cd, ParseDescriptor(*cfg, "manifest " + digest + " config"));
  if (cd.media_type != kOciConfig && cd.media_type != kDockerConfig) {
    return MakeError(ErrorKind::kUnsupported, "manifest {} has a config of type '{}', not an image",
                     digest, cd.media_type);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string bytes,
                            content.Read(cd.digest, kMaxImageConfigBytes, cd.size));
  ManifestConfig mc;
  mc.manifest_digest = digest;
  mc.config_digest = cd.digest;
  VERIFIED_ASSIGN_OR_RETURN(mc.config, ParseImageConfig(bytes, "image config " + cd.digest));
  if (auto layers = manifest.find("layers"); layers != manifest.end() && layers->is_array()) {
    if (layers->size() > kMaxLayers) {
      return MakeError(ErrorKind::kTooLarge, "manifest {} lists {} layers", digest, layers->size());
    }
    for (const auto& l : *layers) {
      VERIFIED_ASSIGN_OR_RETURN(Descriptor ld, ParseDescriptor(l, "manifest " + digest + " layer"));
      mc.layers.push_back(std::move(ld));
    }
  }
  return mc;
}

Status Collect(const ContentStore& content, const Descriptor& d, const Platform& platform,
               std::vector<std::string>& indexes, bool check_config_platform,
               std::vector<ManifestConfig>& out) {
  size_t depth = indexes.size();
  if (depth > kMaxIndexDepth) {
    return MakeError(ErrorKind::kTooLarge, "indexes nested deeper than {} at {}", kMaxIndexDepth,
                     d.digest);
  }
  VERIFIED_ASSIGN_OR_RETURN(Doc doc, ReadDoc(content, d));
  if (!doc.is_index) {
    VERIFIED_ASSIGN_OR_RETURN(ManifestConfig mc, LoadManifest(content, d.digest, doc.json));
    mc.index_digests = indexes;
    if (!check_config_platform || PlatformMatches(mc.config.doc, platform)) {
      out.push_back(std::move(mc));
    }
    return Ok();
  }
  auto list = doc.json.find("manifests");
  if (list == doc.json.end() || !list->is_array()) {
    return MakeError(ErrorKind::kParse, "index {} has no manifests list", d.digest);
  }
  if (list->size() > kMaxIndexEntries) {
    return MakeError(ErrorKind::kTooLarge, "index {} lists more than {} manifests", d.digest,
                     kMaxIndexEntries);
  }
  indexes.push_back(d.digest);
  for (size_t i = 0; i < list->size(); ++i) {
    const auto& entry = (*list)[i];
    VERIFIED_ASSIGN_OR_RETURN(
        Descriptor child, ParseDescriptor(entry, fmt::format("index {} entry {}", d.digest, i)));
    auto p = entry.find("platform");
    bool has_platform = p != entry.end() && p->is_object();
    if (has_platform && !PlatformMatches(*p, platform)) continue;  // attestations, other arches
    VERIFIED_RETURN_IF_ERROR(Collect(content, child, platform, indexes, !has_platform, out));
  }
  indexes.pop_back();
  return Ok();
}

}  // namespace

bool IsIndexMediaType(std::string_view mt) { return mt == kOciIndex || mt == kDockerList; }
bool IsManifestMediaType(std::string_view mt) {
  return mt == kOciManifest || mt == kDockerManifest;
}

Result<std::vector<ManifestConfig>> ResolveTarget(const ContentStore& content,
                                                  const Descriptor& target,
                                                  const Platform& platform) {
  std::vector<ManifestConfig> out;
  std::vector<std::string> indexes;
  VERIFIED_RETURN_IF_ERROR_WRAP(Collect(content, target, platform, indexes, false, out),
                                "image target {}", target.digest);
  return out;
}

}  // namespace verified::containerd
