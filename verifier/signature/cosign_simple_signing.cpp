#include "verifier/signature/cosign_simple_signing.h"

#include "verifier/core/base64.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/image/digest.h"
#include "verifier/image/reference.h"
#include "verifier/signature/manifest_binding.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {
namespace {

constexpr std::string_view kWhat = "simple-signing payload";

Result<std::string> ParseCritical(const nlohmann::json& critical, SimpleSigningPayload& out) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(critical, "simple-signing payload: critical",
                                        {"identity", "image", "type"},
                                        {"identity", "image", "type"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string type, RequiredString(critical, "type", "critical"));
  if (type != kCosignSignatureType) {
    return MakeError(ErrorKind::kParse, "simple-signing payload: critical.type is {}, want \"{}\"",
                     QuoteJsonKey(type), kCosignSignatureType);
  }
  const auto& identity = critical["identity"];
  VERIFIED_RETURN_IF_ERROR(CheckMembers(identity, "simple-signing payload: critical.identity",
                                        {"docker-reference"}, {"docker-reference"}));
  VERIFIED_ASSIGN_OR_RETURN(out.docker_reference,
                            RequiredString(identity, "docker-reference", "critical.identity"));
  auto ref = ParseReference(out.docker_reference);
  if (!ref.ok()) {
    return Wrap(std::move(ref).error(),
                "simple-signing payload: critical.identity.docker-reference");
  }
  out.repository = ref->Repository();
  const auto& image = critical["image"];
  VERIFIED_RETURN_IF_ERROR(CheckMembers(image, "simple-signing payload: critical.image",
                                        {"docker-manifest-digest"}, {"docker-manifest-digest"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string digest,
                            RequiredString(image, "docker-manifest-digest", "critical.image"));
  if (!IsSha256Digest(digest)) {
    return MakeError(ErrorKind::kParse,
                     "simple-signing payload: critical.image.docker-manifest-digest {} is not "
                     "sha256:<64 lowercase hex>",
                     QuoteJsonKey(digest, 80));
  }
  return digest;
}

}  // namespace

Result<SimpleSigningPayload> ParseSimpleSigningPayload(std::string_view payload) {
  if (payload.size() > kMaxSimpleSigningPayloadBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kWhat,
                     payload.size(), kMaxSimpleSigningPayloadBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(payload, kWhat));
  VERIFIED_RETURN_IF_ERROR(CheckMembers(doc, kWhat, {"critical"}, {"critical", "optional"}));
  SimpleSigningPayload out;
  VERIFIED_ASSIGN_OR_RETURN(out.manifest_digest, ParseCritical(doc["critical"], out));
  auto opt = doc.find("optional");
  if (opt != doc.end() && !opt->is_null()) {
    if (!opt->is_object()) {
      return MakeError(ErrorKind::kParse, "{}: optional is a JSON {}, want an object or null",
                       kWhat, opt->type_name());
    }
    out.optional = *opt;
  }
  return out;
}

Result<SimpleSigningPayload> VerifySimpleSigning(const PublicKey& key, std::string_view payload,
                                                 std::string_view signature_base64) {
  if (payload.size() > kMaxSimpleSigningPayloadBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kWhat,
                     payload.size(), kMaxSimpleSigningPayloadBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(
      std::string signature,
      Base64DecodeStrict(signature_base64, "simple-signing signature", kMaxSignatureBase64Chars));
  VERIFIED_RETURN_IF_ERROR_WRAP(Verify(key, payload, signature), "simple-signing signature");
  VERIFIED_ASSIGN_OR_WRAP(SimpleSigningPayload parsed, ParseSimpleSigningPayload(payload),
                          "signed by {}", key.Describe());
  return parsed;
}

Status VerifyManifestBinding(std::string_view manifest_bytes, const SimpleSigningPayload& payload) {
  VERIFIED_RETURN_IF_ERROR_WRAP(VerifyManifestBinding(manifest_bytes, payload.manifest_digest),
                                "signature for {}", payload.docker_reference);
  return Ok();
}

}  // namespace verified::signature
