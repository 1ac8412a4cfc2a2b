#include "verifier/signature/manifest_binding.h"

#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"

namespace verified::signature {

Status VerifyManifestBinding(std::string_view manifest_bytes, std::string_view signed_digest) {
  if (manifest_bytes.size() > kMaxManifestBytes) {
    return MakeError(ErrorKind::kTooLarge, "manifest of {} bytes exceeds the {} byte limit",
                     manifest_bytes.size(), kMaxManifestBytes);
  }
  if (!IsSha256Digest(signed_digest)) {
    if (signed_digest.substr(0, 7) != "sha256:" && signed_digest.find(':') != std::string::npos) {
      return MakeError(ErrorKind::kUnsupported, "signed digest {} is not a sha256 digest",
                       signed_digest);
    }
    return MakeError(ErrorKind::kParse, "signed digest '{}' is not sha256:<64 lowercase hex>",
                     signed_digest);
  }
  std::string actual = Sha256Digest(manifest_bytes);
  if (actual != signed_digest) {
    return MakeError(ErrorKind::kIntegrity,
                     "the manifest hashes to {}, but the signature is for {}: not the signed "
                     "manifest",
                     actual, signed_digest);
  }
  return Ok();
}

}  // namespace verified::signature
