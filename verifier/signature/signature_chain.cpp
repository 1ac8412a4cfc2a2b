#include "verifier/signature/signature_chain.h"

#include "verifier/signature/signed_manifest.h"

namespace verified::signature {
namespace {

const ManifestFile* EngineFile(const ResolvedImage& image, std::string_view digest) {
  for (const auto& f : image.manifest_files) {
    if (f.digest == digest) return &f;
  }
  return nullptr;
}

std::string ConfigLink(const std::string& config_digest) {
  return fmt::format(
      "names config {} = the image ID, whose diff_ids are the layer chain proven from the store",
      config_digest);
}

Status CheckConfig(const ResolvedImage& image, const SignedManifest& m, std::string_view digest) {
  if (m.config_digest == image.image_id) return Ok();
  return MakeError(ErrorKind::kIntegrity,
                   "manifest {} names config {}, not this image's ID {} (a signature for another "
                   "image, or a tampered manifest)",
                   digest, m.config_digest, image.image_id);
}

// An index binds the image only through a manifest it lists that the engine keeps and that
// names the image's config: the index alone says nothing about which platform runs here.
Result<std::string> ProveIndex(const ResolvedImage& image, std::string_view digest,
                               const SignedManifest& index, const char* where) {
  std::string tried;
  for (const auto& listed : index.manifests) {
    const ManifestFile* f = EngineFile(image, listed);
    if (f == nullptr) continue;
    VERIFIED_ASSIGN_OR_WRAP(std::string bytes, ReadManifestFile(*f), "index {} lists {}", digest,
                            listed);
    VERIFIED_ASSIGN_OR_WRAP(SignedManifest m, ParseSignedManifest(bytes), "manifest {} ({})",
                            listed, f->path);
    if (m.is_index) continue;  // nested indexes: the engine records the runnable manifest too
    if (m.config_digest == image.image_id) {
      return fmt::format("index {} ({}) lists manifest {} (the engine's {}), which {}", digest,
                         where, listed, f->path, ConfigLink(m.config_digest));
    }
    tried +=
        fmt::format("{}{} names config {}", tried.empty() ? "" : "; ", listed, m.config_digest);
  }
  if (tried.empty()) {
    return MakeError(ErrorKind::kIntegrity,
                     "index {} lists {} manifest(s), none of which the engine keeps for this image",
                     digest, index.manifests.size());
  }
  return MakeError(ErrorKind::kIntegrity,
                   "index {} lists no manifest with this image's config {} ({})", digest,
                   image.image_id, tried);
}

}  // namespace

Result<std::string> ProveSignedDigest(const ResolvedImage& image, std::string_view signed_digest,
                                      const std::optional<std::string>& stored_manifest) {
  std::string bytes;
  std::string where;
  if (const ManifestFile* f = EngineFile(image, signed_digest); f != nullptr) {
    VERIFIED_ASSIGN_OR_WRAP(bytes, ReadManifestFile(*f), "the engine's manifest {}", signed_digest);
    where = "the engine's " + f->path;
  } else if (stored_manifest) {
    bytes = *stored_manifest;
    where = "stored with the signature";
  } else {
    return MakeError(ErrorKind::kNotFound,
                     "no manifest with digest {}: the engine keeps none and none was imported "
                     "with the signature (verifiedctl signature import --manifest)",
                     signed_digest);
  }
  VERIFIED_ASSIGN_OR_WRAP(SignedManifest m, ParseSignedManifest(bytes), "manifest {} ({})",
                          signed_digest, where);
  if (m.is_index) return ProveIndex(image, signed_digest, m, where.c_str());
  VERIFIED_RETURN_IF_ERROR(CheckConfig(image, m, signed_digest));
  return fmt::format("manifest {} ({}) {}", signed_digest, where, ConfigLink(m.config_digest));
}

}  // namespace verified::signature
