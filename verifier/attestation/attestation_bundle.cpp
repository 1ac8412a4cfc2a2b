#include "verifier/attestation/attestation_bundle.h"

#include "verifier/core/go_json_keys.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/sigstore_bundle.h"

namespace verified::attestation {
namespace {

constexpr std::string_view kWhat = "attestation bundle";

Result<signature::SigstoreBundle> ParseBundle(std::string_view bundle) {
  VERIFIED_ASSIGN_OR_RETURN(signature::SigstoreBundle b,
                            signature::ParseSigstoreBundle(bundle, kMaxAttestationBundleBytes,
                                                           kMaxAttestationPayloadBytes));
  if (b.envelope.payload_type != signature::kInTotoPayloadType) {
    return MakeError(ErrorKind::kUnsupported, "{}: dsseEnvelope.payloadType {} is not \"{}\"",
                     kWhat, QuoteJsonKey(b.envelope.payload_type, 100),
                     signature::kInTotoPayloadType);
  }
  return b;
}

}  // namespace

Result<std::string> BundleFromDsseEnvelope(std::string_view envelope) {
  constexpr std::string_view kEnvelope = "DSSE envelope";
  if (envelope.size() > kMaxAttestationBundleBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kEnvelope,
                     envelope.size(), kMaxAttestationBundleBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(envelope, kEnvelope));
  VERIFIED_RETURN_IF_ERROR(signature::ParseDsseEnvelope(doc, kMaxAttestationPayloadBytes));
  nlohmann::json bundle = {{"mediaType", signature::kBundleMediaTypeV03},
                           {"verificationMaterial", {{"publicKey", nlohmann::json::object()}}},
                           {"dsseEnvelope", std::move(doc)}};
  return bundle.dump() + "\n";
}

bool LooksLikeDsseEnvelope(std::string_view text) {
  auto doc = ParseJsonAsGo(text, "attestation");
  return doc.ok() && doc->is_object() && doc->contains("payloadType") &&
         !doc->contains("mediaType");
}

Result<signature::InTotoStatement> PeekAttestationBundle(std::string_view bundle) {
  VERIFIED_ASSIGN_OR_RETURN(signature::SigstoreBundle b, ParseBundle(bundle));
  return signature::ParseInTotoStatement(b.envelope.payload, kMaxAttestationPayloadBytes);
}

Result<VerifiedAttestation> VerifyAttestationBundle(std::string_view bundle,
                                                    const std::vector<signature::PublicKey>& keys) {
  VERIFIED_ASSIGN_OR_RETURN(signature::SigstoreBundle b, ParseBundle(bundle));
  if (keys.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "signed by no trusted key: no keys are trusted (verifiedctl key add)");
  }
  const signature::PublicKey* signer = nullptr;
  std::string tried;
  // The signature is checked before a byte of the Statement is parsed.
  for (const auto& key : keys) {
    Status st = signature::VerifyDsse(key, b.envelope);
    if (st.ok()) {
      signer = &key;
      break;
    }
    tried += fmt::format("{}{}", tried.empty() ? "" : "; ", st.error().What());
  }
  if (signer == nullptr) {
    return MakeError(ErrorKind::kIntegrity, "{} signed by no trusted key ({}; key hint {})", kWhat,
                     tried, QuoteJsonKey(b.key_hint, 100));
  }
  VerifiedAttestation out;
  out.key_name = signer->name();
  out.key_fingerprint = signer->fingerprint();
  nlohmann::json predicate;
  VERIFIED_ASSIGN_OR_WRAP(
      out.statement,
      signature::ParseInTotoStatement(b.envelope.payload, kMaxAttestationPayloadBytes, &predicate),
      "{} signed by {}", kWhat, signer->Describe());
  if (out.statement.predicate_type == signature::kCosignSignPredicate) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "{} signed by {} is an image signature ({}), not an attestation: import it "
                     "with verifiedctl signature import",
                     kWhat, signer->name(), signature::kCosignSignPredicate);
  }
  VERIFIED_ASSIGN_OR_WRAP(out.predicate, ParsePredicate(out.statement.predicate_type, predicate),
                          "{} signed by {}", kWhat, signer->name());
  return out;
}

}  // namespace verified::attestation
