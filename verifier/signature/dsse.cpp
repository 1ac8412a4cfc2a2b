#include "verifier/signature/dsse.h"

#include "verifier/core/base64.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {

Result<DsseEnvelope> ParseDsseEnvelope(const nlohmann::json& j, size_t max_payload) {
  VERIFIED_RETURN_IF_ERROR(CheckMembers(j, "dsseEnvelope", {"payload", "payloadType", "signatures"},
                                        {"payload", "payloadType", "signatures"}));
  DsseEnvelope out;
  VERIFIED_ASSIGN_OR_RETURN(out.payload_type, RequiredString(j, "payloadType", "dsseEnvelope"));
  VERIFIED_ASSIGN_OR_RETURN(std::string payload_b64, RequiredString(j, "payload", "dsseEnvelope"));
  // 4 characters per 3 bytes, rounded up: the text limit matching max_payload.
  VERIFIED_ASSIGN_OR_RETURN(out.payload, Base64DecodeStrict(payload_b64, "dsseEnvelope.payload",
                                                            (max_payload + 2) / 3 * 4));
  const auto& sigs = j["signatures"];
  if (!sigs.is_array() || sigs.size() != 1) {
    return MakeError(ErrorKind::kParse,
                     "dsseEnvelope.signatures: want an array of exactly one signature, got {}",
                     sigs.is_array() ? fmt::format("{} signatures", sigs.size())
                                     : std::string("a JSON ") + sigs.type_name());
  }
  const auto& sig = sigs[0];
  VERIFIED_RETURN_IF_ERROR(
      CheckMembers(sig, "dsseEnvelope.signatures[0]", {"sig"}, {"sig", "keyid"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string sig_b64,
                            RequiredString(sig, "sig", "dsseEnvelope.signatures[0]"));
  VERIFIED_ASSIGN_OR_RETURN(
      out.signature,
      Base64DecodeStrict(sig_b64, "dsseEnvelope.signatures[0].sig", kMaxSignatureBase64Chars));
  if (sig.contains("keyid")) {
    VERIFIED_ASSIGN_OR_RETURN(out.keyid,
                              RequiredString(sig, "keyid", "dsseEnvelope.signatures[0]"));
  }
  return out;
}

std::string DssePae(std::string_view payload_type, std::string_view payload) {
  return fmt::format("DSSEv1 {} {} {} ", payload_type.size(), payload_type, payload.size()) +
         std::string(payload);
}

Status VerifyDsse(const PublicKey& key, const DsseEnvelope& envelope) {
  VERIFIED_RETURN_IF_ERROR_WRAP(
      Verify(key, DssePae(envelope.payload_type, envelope.payload), envelope.signature),
      "DSSE signature");
  return Ok();
}

}  // namespace verified::signature
