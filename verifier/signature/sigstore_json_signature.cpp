#include "verifier/signature/sigstore_json_signature.h"

#include <nlohmann/json.hpp>

#include "verifier/core/base64.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {

Result<SigstoreJsonSignature> ParseSigstoreJsonSignature(std::string_view file) {
  constexpr std::string_view kWhat = "sigstore-json signature";
  if (file.size() > kMaxSigstoreJsonFileBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kWhat,
                     file.size(), kMaxSigstoreJsonFileBytes);
  }
  if (file.substr(0, kSigstoreJsonPrefix.size()) != kSigstoreJsonPrefix) {
    return MakeError(ErrorKind::kUnsupported,
                     "not a sigstore-json signature (no \\0sigstore-json prefix): GPG simple "
                     "signing and other formats are not supported");
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc,
                            ParseJsonAsGo(file.substr(kSigstoreJsonPrefix.size()), kWhat));
  VERIFIED_RETURN_IF_ERROR(CheckMembers(doc, kWhat, {"mimeType", "payload", "annotations"},
                                        {"mimeType", "payload", "annotations"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string mime, RequiredString(doc, "mimeType", kWhat));
  if (mime != kCosignSimpleSigningMimeType) {
    return MakeError(ErrorKind::kParse, "{}: mimeType {} is not {}", kWhat, QuoteJsonKey(mime),
                     kCosignSimpleSigningMimeType);
  }
  const auto& annotations = doc["annotations"];
  if (!annotations.is_object()) {
    return MakeError(ErrorKind::kParse, "{}: annotations is not an object", kWhat);
  }
  // containers/image reads annotations as map[string]string: other value types are malformed.
  for (const auto& [k, v] : annotations.items()) {
    if (!v.is_string()) {
      return MakeError(ErrorKind::kParse, "{}: annotation {} is not a string", kWhat,
                       QuoteJsonKey(k));
    }
  }
  SigstoreJsonSignature out;
  VERIFIED_ASSIGN_OR_RETURN(out.signature_base64,
                            RequiredString(annotations, kCosignSignatureAnnotation,
                                           "sigstore-json signature: annotations"));
  VERIFIED_RETURN_IF_ERROR(Base64DecodeStrict(out.signature_base64, "sigstore-json signature",
                                              kMaxSignatureBase64Chars));
  VERIFIED_ASSIGN_OR_RETURN(std::string payload, RequiredString(doc, "payload", kWhat));
  VERIFIED_ASSIGN_OR_RETURN(
      out.payload, Base64DecodeStrict(payload, "sigstore-json payload", kMaxSigstoreJsonFileBytes));
  return out;
}

}  // namespace verified::signature
