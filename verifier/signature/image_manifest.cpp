#include "verifier/signature/image_manifest.h"

#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/signature/docker_daemon_manifest.h"

namespace verified::signature {
namespace {

// The config digest of a manifest document, "" for an index or anything else.
std::string ConfigDigest(const std::string& bytes, const std::string& what) {
  auto doc = ParseJson(bytes, what);
  if (!doc.ok() || !doc->is_object()) return "";
  auto cfg = doc->find("config");
  if (cfg == doc->end() || !cfg->is_object()) return "";
  auto d = cfg->find("digest");
  return d != cfg->end() && d->is_string() ? d->get<std::string>() : "";
}

}  // namespace

Result<ImageManifest> ManifestForSigning(const ResolvedImage& image) {
  if (!image.manifest_files.empty()) {
    for (const auto& f : image.manifest_files) {
      VERIFIED_ASSIGN_OR_RETURN(std::string bytes, ReadManifestFile(f));
      if (ConfigDigest(bytes, f.path) != image.image_id) continue;
      return ImageManifest{f.digest, std::move(bytes), f.path, false};
    }
    return MakeError(ErrorKind::kNotFound,
                     "{} keeps {} manifest(s) for image {} but none has it as its config",
                     image.engine, image.manifest_files.size(), image.image_id);
  }
  if (image.engine == "docker-overlay2") {
    VERIFIED_ASSIGN_OR_RETURN(std::string bytes, DockerDaemonManifest(image));
    std::string digest = Sha256Digest(bytes);
    return ImageManifest{digest, std::move(bytes), "generated (docker-daemon)", true};
  }
  return MakeError(ErrorKind::kUnsupported,
                   "image {} ({}): the engine keeps no manifest for it and none can be generated",
                   image.image_id, image.engine);
}

}  // namespace verified::signature
