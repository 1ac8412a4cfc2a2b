#include "verifier/signature/docker_daemon_manifest.h"

#include "verifier/content/tar_split_verify.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"
#include "verifier/image/image_config.h"

namespace verified::signature {

std::string DockerDaemonManifestJson(std::string_view config_digest, uint64_t config_size,
                                     const std::vector<DaemonManifestLayer>& layers) {
  // Member order and spelling of containers/image manifest.Schema2 / Schema2Descriptor
  // (manifest/docker_schema2.go); Go escapes no character that can occur in these values.
  std::string out = fmt::format(
      R"({{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",)"
      R"("config":{{"mediaType":"application/vnd.docker.container.image.v1+json","size":{},)"
      R"("digest":"{}"}},"layers":[)",
      config_size, config_digest);
  for (size_t i = 0; i < layers.size(); ++i) {
    out += fmt::format(
        R"({}{{"mediaType":"application/vnd.docker.image.rootfs.diff.tar.gzip","size":{},)"
        R"("digest":"{}"}})",
        i == 0 ? "" : ",", layers[i].size, layers[i].diff_id);
  }
  out += "]}";
  return out;
}

Result<std::string> DockerDaemonManifest(const ResolvedImage& image) {
  if (image.engine != "docker-overlay2") {
    return MakeError(ErrorKind::kUnsupported,
                     "image {} is in {}, not Docker's overlay2 store: no manifest is generated "
                     "for it",
                     image.image_id, image.engine);
  }
  if (!IsSha256Digest(image.image_id) || image.layers.size() != image.diff_ids.size()) {
    return MakeError(ErrorKind::kUnsupported,
                     "image {}: its layers were not resolved from the store (is {} readable?)",
                     image.image_id, image.store_root);
  }
  VERIFIED_ASSIGN_OR_RETURN(Dir root, Dir::Open(image.store_root));
  std::string rel =
      "image/overlay2/imagedb/content/sha256/" + std::string(DigestHex(image.image_id));
  VERIFIED_ASSIGN_OR_WRAP(std::string config, root.ReadFile(rel, kMaxImageConfigBytes), "image {}",
                          image.image_id);
  VERIFIED_RETURN_IF_ERROR(CheckDigest(config, image.image_id, "imagedb config"));
  std::vector<DaemonManifestLayer> layers;
  content::Workspace ws;
  for (size_t i = 0; i < image.layers.size(); ++i) {
    const LayerLocation& l = image.layers[i];
    if (l.tar_split.empty() || l.diff_id != image.diff_ids[i]) {
      return MakeError(ErrorKind::kUnsupported, "image {}: layer {} has no tar-split",
                       image.image_id, i + 1);
    }
    VERIFIED_ASSIGN_OR_WRAP(
        content::LayerOutcome o,
        content::VerifyTarSplitLayer(l.diff_dir, l.tar_split, l.diff_id, ws, nullptr),
        "image {} layer {}", image.image_id, i + 1);
    if (!o.ok) {
      return MakeError(ErrorKind::kIntegrity,
                       "image {}: layer {} ({}) does not reassemble to its diff_id{}{}: {}",
                       image.image_id, i + 1, l.diff_id, o.file.empty() ? "" : " at ", o.file,
                       o.message);
    }
    layers.push_back(DaemonManifestLayer{l.diff_id, o.bytes});
  }
  return DockerDaemonManifestJson(image.image_id, config.size(), layers);
}

}  // namespace verified::signature
