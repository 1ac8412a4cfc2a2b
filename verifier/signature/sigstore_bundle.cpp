#include "verifier/signature/sigstore_bundle.h"

#include "verifier/core/go_json_keys.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {
namespace {

constexpr std::string_view kWhat = "sigstore bundle";

Result<std::string> ParseVerificationMaterial(const nlohmann::json& vm) {
  constexpr std::string_view kVm = "sigstore bundle: verificationMaterial";
  if (vm.is_object() && (vm.contains("certificate") || vm.contains("x509CertificateChain"))) {
    return MakeError(ErrorKind::kUnsupported,
                     "{}: keyless bundle (Fulcio certificate): not supported, verified checks "
                     "signatures offline with keys from its key directory only",
                     kVm);
  }
  VERIFIED_RETURN_IF_ERROR(CheckMembers(vm, kVm, {"publicKey"},
                                        {"publicKey", "tlogEntries", "timestampVerificationData"}));
  const auto& pk = vm["publicKey"];
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(pk, "sigstore bundle: verificationMaterial.publicKey", {}, {"hint"}));
  if (!pk.contains("hint")) return std::string();
  return RequiredString(pk, "hint", "verificationMaterial.publicKey");
}

}  // namespace

Result<SigstoreBundle> ParseSigstoreBundle(std::string_view text, size_t max_bytes,
                                           size_t max_payload) {
  if (text.size() > max_bytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kWhat,
                     text.size(), max_bytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(text, kWhat));
  if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{}: not a JSON object", kWhat);
  SigstoreBundle out;
  VERIFIED_ASSIGN_OR_RETURN(out.media_type, RequiredString(doc, "mediaType", kWhat));
  if (out.media_type != kBundleMediaTypeV03 && out.media_type != kBundleMediaTypeV03Alt) {
    return MakeError(ErrorKind::kUnsupported, "{}: media type {} is not a v0.3 bundle", kWhat,
                     QuoteJsonKey(out.media_type, 100));
  }
  if (doc.contains("messageSignature")) {
    return MakeError(ErrorKind::kUnsupported,
                     "{}: holds a messageSignature (a signed blob), not a DSSE image signature",
                     kWhat);
  }
  VERIFIED_RETURN_IF_ERROR(CheckMembers(doc, kWhat,
                                        {"mediaType", "verificationMaterial", "dsseEnvelope"},
                                        {"mediaType", "verificationMaterial", "dsseEnvelope"}));
  VERIFIED_ASSIGN_OR_RETURN(out.key_hint, ParseVerificationMaterial(doc["verificationMaterial"]));
  VERIFIED_ASSIGN_OR_WRAP(out.envelope, ParseDsseEnvelope(doc["dsseEnvelope"], max_payload), "{}",
                          kWhat);
  return out;
}

Result<VerifiedBundle> VerifySigstoreBundle(const PublicKey& key, std::string_view bundle_text) {
  VERIFIED_ASSIGN_OR_RETURN(SigstoreBundle bundle, ParseSigstoreBundle(bundle_text));
  if (bundle.envelope.payload_type != kInTotoPayloadType) {
    return MakeError(ErrorKind::kUnsupported, "{}: dsseEnvelope.payloadType {} is not \"{}\"",
                     kWhat, QuoteJsonKey(bundle.envelope.payload_type, 100), kInTotoPayloadType);
  }
  VERIFIED_RETURN_IF_ERROR_WRAP(VerifyDsse(key, bundle.envelope), "{} (key hint {})", kWhat,
                                QuoteJsonKey(bundle.key_hint, 100));
  VerifiedBundle out;
  VERIFIED_ASSIGN_OR_WRAP(out.statement, ParseInTotoStatement(bundle.envelope.payload),
                          "{} signed by {}", kWhat, key.Describe());
  out.key_hint = std::move(bundle.key_hint);
  return out;
}

}  // namespace verified::signature
