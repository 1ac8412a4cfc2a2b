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

// The manifest bytes for the digest, checked to hash to it, and where they came from.
struct ManifestBytes {
  std::string bytes;
  std::string where;
};

Result<ManifestBytes> BytesFor(const ResolvedImage& image, std::string_view signed_digest,
                               const std::optional<std::string>& stored_manifest) {
  if (const ManifestFile* f = EngineFile(image, signed_digest); f != nullptr) {
    VERIFIED_ASSIGN_OR_WRAP(std::string bytes, ReadManifestFile(*f), "the engine's manifest {}",
                            signed_digest);
    return ManifestBytes{std::move(bytes), "the engine's " + f->path};
  }
  if (stored_manifest) return ManifestBytes{*stored_manifest, "stored with the signature"};
  return MakeError(ErrorKind::kNotFound,
                   "no manifest with digest {}: the engine keeps none and none was imported "
                   "with the signature (verifiedctl signature import --manifest)",
                   signed_digest);
}

std::string ManifestSentence(std::string_view digest, const std::string& where,
                             const std::string& config_digest) {
  return fmt::format("manifest {} ({}) {}", digest, where, ConfigLink(config_digest));
}

}  // namespace

Result<std::string> ProveSignedDigest(const ResolvedImage& image, std::string_view signed_digest,
                                      const std::optional<std::string>& stored_manifest,
                                      bool* through_index) {
  VERIFIED_ASSIGN_OR_RETURN(ManifestBytes m, BytesFor(image, signed_digest, stored_manifest));
  VERIFIED_ASSIGN_OR_WRAP(SignedManifest parsed, ParseSignedManifest(m.bytes), "manifest {} ({})",
                          signed_digest, m.where);
  if (through_index != nullptr) *through_index = parsed.is_index;
  if (parsed.is_index) return ProveIndex(image, signed_digest, parsed, m.where.c_str());
  VERIFIED_RETURN_IF_ERROR(CheckConfig(image, parsed, signed_digest));
  return ManifestSentence(signed_digest, m.where, parsed.config_digest);
}

Result<std::string> ProveCachedManifest(const ResolvedImage& image, std::string_view signed_digest,
                                        const std::optional<std::string>& stored_manifest) {
  VERIFIED_ASSIGN_OR_RETURN(ManifestBytes m, BytesFor(image, signed_digest, stored_manifest));
  return ManifestSentence(signed_digest, m.where, image.image_id);
}

}  // namespace verified::signature
