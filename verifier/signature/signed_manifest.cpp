#include "verifier/signature/signed_manifest.h"

#include "verifier/core/go_json_keys.h"
#include "verifier/image/digest.h"
#include "verifier/signature/manifest_binding.h"

namespace verified::signature {
namespace {

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList =
    "application/vnd.docker.distribution.manifest.list.v2+json";

// The member Go's encoding/json would decode into the struct field `name` (containers/image
// manifest.Schema2, OCI1; containerd's ocispec types): keys compare case-insensitively.
// ParseJsonAsGo has already refused two keys that fold alike, so there is at most one.
const nlohmann::json* Member(const nlohmann::json& obj, std::string_view name) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    if (GoFoldKey(it.key()) == name) return &it.value();
  }
  return nullptr;
}

Result<std::string> DescriptorDigest(const nlohmann::json& d, const std::string& what) {
  if (!d.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", what);
  const nlohmann::json* digest = Member(d, "digest");
  if (digest == nullptr || !digest->is_string()) {
    return MakeError(ErrorKind::kParse, "{} has no digest string", what);
  }
  const std::string& s = digest->get_ref<const std::string&>();
  if (s.rfind("sha256:", 0) != 0) {
    return MakeError(ErrorKind::kUnsupported, "{} digest '{}' is not sha256", what,
                     QuoteJsonKey(s));
  }
  return ParseDigest(s, what + " digest");
}

Result<std::vector<std::string>> IndexManifests(const nlohmann::json& list) {
  if (!list.is_array()) return MakeError(ErrorKind::kParse, "index manifests is not a list");
  if (list.size() > kMaxIndexManifests) {
    return MakeError(ErrorKind::kTooLarge, "index lists {} manifests (at most {})", list.size(),
                     kMaxIndexManifests);
  }
  std::vector<std::string> out;
  for (size_t i = 0; i < list.size(); ++i) {
    VERIFIED_ASSIGN_OR_RETURN(std::string d,
                              DescriptorDigest(list[i], fmt::format("index manifests[{}]", i)));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<SignedManifest> ParseSignedManifest(std::string_view bytes) {
  if (bytes.size() > kMaxManifestBytes) {
    return MakeError(ErrorKind::kTooLarge, "manifest of {} bytes exceeds the limit of {}",
                     bytes.size(), kMaxManifestBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJsonAsGo(bytes, "manifest"));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "manifest is not a JSON object");
  const nlohmann::json* version = Member(j, "schemaversion");
  if (version == nullptr || !version->is_number_integer() || *version != 2) {
    return MakeError(ErrorKind::kUnsupported,
                     "manifest schemaVersion is not 2 (schema 1 manifests bind no config)");
  }
  std::string media_type;
  if (const nlohmann::json* mt = Member(j, "mediatype"); mt != nullptr) {
    if (!mt->is_string()) return MakeError(ErrorKind::kParse, "manifest mediaType is not a string");
    media_type = mt->get<std::string>();
  }
  const nlohmann::json* manifests = Member(j, "manifests");
  const nlohmann::json* config = Member(j, "config");
  SignedManifest out;
  // A document that is both (or neither) is refused: which one the engine would take depends
  // on its decoder, and a signature must mean one thing.
  if (manifests != nullptr && config == nullptr) {
    if (!media_type.empty() && media_type != kOciIndex && media_type != kDockerList) {
      return MakeError(ErrorKind::kUnsupported, "an index with mediaType '{}'",
                       QuoteJsonKey(media_type));
    }
    out.is_index = true;
    VERIFIED_ASSIGN_OR_RETURN(out.manifests, IndexManifests(*manifests));
    return out;
  }
  if (config != nullptr && manifests == nullptr) {
    if (!media_type.empty() && media_type != kOciManifest && media_type != kDockerManifest) {
      return MakeError(ErrorKind::kUnsupported, "a manifest with mediaType '{}'",
                       QuoteJsonKey(media_type));
    }
    VERIFIED_ASSIGN_OR_RETURN(out.config_digest, DescriptorDigest(*config, "manifest config"));
    return out;
  }
  return MakeError(
      ErrorKind::kUnsupported,
      "manifest has {} (an image manifest has a config, an index a manifests list)",
      config != nullptr ? "both config and manifests" : "neither config nor manifests");
}

}  // namespace verified::signature
