#include "verifier/image/image_config.h"

#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified {

Result<ImageConfig> ParseImageConfig(std::string_view text, std::string_view what) {
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJson(text, what));
  if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{}: not a JSON object", what);
  auto rootfs = doc.find("rootfs");
  if (rootfs == doc.end() || !rootfs->is_object()) {
    return MakeError(ErrorKind::kParse, "{}: no rootfs object", what);
  }
  auto type = rootfs->find("type");
  if (type == rootfs->end() || !type->is_string() || type->get<std::string>() != "layers") {
    return MakeError(ErrorKind::kUnsupported, "{}: rootfs.type is not \"layers\"", what);
  }
  ImageConfig cfg;
  auto ids = rootfs->find("diff_ids");
  if (ids != rootfs->end() && !ids->is_null()) {
    if (!ids->is_array()) return MakeError(ErrorKind::kParse, "{}: diff_ids is not a list", what);
    if (ids->size() > kMaxLayers) {
      return MakeError(ErrorKind::kTooLarge, "{}: {} layers exceed the limit of {}", what,
                       ids->size(), kMaxLayers);
    }
    for (const auto& id : *ids) {
      if (!id.is_string()) return MakeError(ErrorKind::kParse, "{}: diff_id not a string", what);
      VERIFIED_ASSIGN_OR_RETURN(std::string d, ParseDigest(id.get<std::string>(), what));
      cfg.diff_ids.push_back(std::move(d));
    }
  }
  cfg.doc = std::move(doc);
  return cfg;
}

Status CheckDigest(std::string_view bytes, std::string_view digest, std::string_view what) {
  std::string actual = Sha256Digest(bytes);
  if (actual != digest) {
    return MakeError(ErrorKind::kIntegrity, "{}: content hashes to {}, expected {}", what, actual,
                     digest);
  }
  return Ok();
}

}  // namespace verified
