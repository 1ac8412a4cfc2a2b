#include "verifier/attestation/attestation_signer.h"

#include "verifier/attestation/attestation_bundle.h"
#include "verifier/core/base64.h"
#include "verifier/image/digest.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/sigstore_bundle.h"

namespace verified::attestation {

Result<std::string> MakeAttestationBundle(const signature::PrivateKey& key, PredicateKind kind,
                                          const nlohmann::json& predicate,
                                          std::string_view manifest_digest,
                                          std::string_view subject_name) {
  if (kind == PredicateKind::kOther) {
    return MakeError(ErrorKind::kInvalidArgument, "no predicate type to attest");
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, ParseDigest(manifest_digest, "manifest digest"));
  std::string_view type = PredicateTypeOf(kind);
  VERIFIED_RETURN_IF_ERROR(ParsePredicate(type, predicate));
  nlohmann::ordered_json statement;
  statement["_type"] = signature::kInTotoStatementV1;
  statement["subject"] = nlohmann::ordered_json::array(
      {{{"name", subject_name}, {"digest", {{"sha256", std::string(DigestHex(digest))}}}}});
  statement["predicateType"] = type;
  statement["predicate"] = predicate;
  std::string payload =
      statement.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::strict);
  if (payload.size() > kMaxAttestationPayloadBytes) {
    return MakeError(ErrorKind::kTooLarge, "the Statement of {} bytes exceeds the {} byte limit",
                     payload.size(), kMaxAttestationPayloadBytes);
  }
  std::string payload_type(signature::kInTotoPayloadType);
  VERIFIED_ASSIGN_OR_RETURN(std::string sig, key.Sign(signature::DssePae(payload_type, payload)));
  nlohmann::ordered_json bundle;
  bundle["mediaType"] = signature::kBundleMediaTypeV03;
  bundle["verificationMaterial"] = {{"publicKey", {{"hint", key.public_key().fingerprint()}}}};
  bundle["dsseEnvelope"] = {{"payload", Base64Encode(payload)},
                            {"payloadType", payload_type},
                            {"signatures", {{{"sig", Base64Encode(sig)}, {"keyid", ""}}}}};
  std::string text = bundle.dump() + "\n";
  auto back = VerifyAttestationBundle(text, {key.public_key()});
  if (!back.ok() || !back->statement.HasSubject(digest)) {
    return MakeError(ErrorKind::kInternal, "the attestation made does not verify back: {}",
                     back.ok() ? "another subject" : back.error().What());
  }
  return text;
}

}  // namespace verified::attestation
