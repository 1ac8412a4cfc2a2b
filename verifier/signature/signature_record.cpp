#include "verifier/signature/signature_record.h"

#include <fmt/ranges.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "verifier/core/base64.h"
#include "verifier/core/go_json_keys.h"
#include "verifier/crypto/sha256.h"
#include "verifier/image/digest.h"
#include "verifier/signature/cosign_simple_signing.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/sigstore_bundle.h"
#include "verifier/signature/strict_object.h"

namespace verified::signature {
namespace {

constexpr std::string_view kRecordWhat = "signature record";
// Base64 text length of n bytes.
constexpr size_t Base64Chars(size_t n) { return (n + 2) / 3 * 4; }

Result<std::string> OptionalString(const nlohmann::json& j, std::string_view key) {
  auto it = j.find(std::string(key));
  if (it == j.end()) return std::string();
  if (!it->is_string() || it->get_ref<const std::string&>().size() > 1024) {
    return MakeError(ErrorKind::kParse, "{}: {} is not a string of at most 1024 bytes", kRecordWhat,
                     key);
  }
  return it->get<std::string>();
}

// Checks the material of one format; the signature keeps its text, the rest is decoded.
Status ParseMaterial(const nlohmann::json& doc, SignatureRecord& out) {
  if (out.format == SignatureFormat::kSimpleSigning) {
    VERIFIED_RETURN_IF_ERROR(CheckMembers(doc, kRecordWhat,
                                          {"version", "format", "digest", "payload", "signature"},
                                          {"version", "format", "digest", "payload", "signature",
                                           "imported_by", "imported_at", "source"}));
    VERIFIED_ASSIGN_OR_RETURN(std::string payload, RequiredString(doc, "payload", kRecordWhat));
    VERIFIED_ASSIGN_OR_RETURN(out.payload,
                              Base64DecodeStrict(payload, "signature record: payload",
                                                 Base64Chars(kMaxSimpleSigningPayloadBytes)));
    VERIFIED_ASSIGN_OR_RETURN(out.signature_base64, RequiredString(doc, "signature", kRecordWhat));
    VERIFIED_RETURN_IF_ERROR(Base64DecodeStrict(out.signature_base64, "signature record: signature",
                                                kMaxSignatureBase64Chars));
    return Ok();
  }
  VERIFIED_RETURN_IF_ERROR(CheckMembers(
      doc, kRecordWhat, {"version", "format", "digest", "bundle"},
      {"version", "format", "digest", "bundle", "imported_by", "imported_at", "source"}));
  VERIFIED_ASSIGN_OR_RETURN(std::string bundle, RequiredString(doc, "bundle", kRecordWhat));
  VERIFIED_ASSIGN_OR_RETURN(out.bundle, Base64DecodeStrict(bundle, "signature record: bundle",
                                                           Base64Chars(kMaxBundleBytes)));
  return Ok();
}

// What `key` proves about `record`'s material: the signer and the digests it signs.
struct Claims {
  VerifiedSignature signature;
  std::vector<std::string> digests;
  std::string predicate_type;  ///< bundles only
};

Result<Claims> VerifyMaterial(const SignatureRecord& record, const PublicKey& key) {
  Claims out{{key.name(), key.fingerprint(), "", ""}, {}, ""};
  if (record.format == SignatureFormat::kSimpleSigning) {
    VERIFIED_ASSIGN_OR_RETURN(SimpleSigningPayload p,
                              VerifySimpleSigning(key, record.payload, record.signature_base64));
    out.signature.docker_reference = p.docker_reference;
    out.signature.repository = p.repository;
    out.digests.push_back(p.manifest_digest);
    return out;
  }
  VERIFIED_ASSIGN_OR_RETURN(VerifiedBundle b, VerifySigstoreBundle(key, record.bundle));
  out.predicate_type = b.statement.predicate_type;
  out.digests = b.statement.subject_digests;
  return out;
}

// Only cosign's image-signature predicate approves an image: an SBOM or provenance
// attestation made with the same key says something about the image, not "run it".
Status CheckPredicate(const SignatureRecord& record, const Claims& c) {
  if (record.format == SignatureFormat::kSigstoreBundle &&
      c.predicate_type != kCosignSignPredicate) {
    return MakeError(ErrorKind::kIntegrity,
                     "key {} signed a bundle with predicateType {}: an attestation, not an image "
                     "signature ({})",
                     c.signature.key_name, QuoteJsonKey(c.predicate_type, 100),
                     kCosignSignPredicate);
  }
  return Ok();
}

// Tries each key; the first one that verifies the signature gives the claims (one signature
// verifies with at most one key, short of a key listed twice under two names).
Result<Claims> VerifyWithAnyKey(const SignatureRecord& record, const std::vector<PublicKey>& keys) {
  if (keys.empty()) {
    return MakeError(ErrorKind::kNotFound,
                     "signed by no trusted key: no keys are trusted (verifiedctl key add)");
  }
  std::string tried;
  for (const auto& key : keys) {
    auto c = VerifyMaterial(record, key);
    if (c.ok()) return c;
    tried += fmt::format("{}{}", tried.empty() ? "" : "; ", c.error().What());
  }
  return MakeError(ErrorKind::kIntegrity, "signed by no trusted key ({})", tried);
}

}  // namespace

const char* SignatureFormatName(SignatureFormat format) {
  return format == SignatureFormat::kSimpleSigning ? "simple-signing" : "sigstore-bundle";
}

std::string SignatureRecordId(const SignatureRecord& record) {
  Sha256 h;
  h.UpdateLengthPrefixed(SignatureFormatName(record.format));
  if (record.format == SignatureFormat::kSimpleSigning) {
    h.UpdateLengthPrefixed(record.payload);
    h.UpdateLengthPrefixed(record.signature_base64);
  } else {
    h.UpdateLengthPrefixed(record.bundle);
  }
  return h.FinalHex();
}

std::string SerializeSignatureRecord(const SignatureRecord& record) {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["format"] = SignatureFormatName(record.format);
  j["digest"] = record.digest;
  if (record.format == SignatureFormat::kSimpleSigning) {
    j["payload"] = Base64Encode(record.payload);
    j["signature"] = record.signature_base64;
  } else {
    j["bundle"] = Base64Encode(record.bundle);
  }
  j["imported_by"] = record.imported_by;
  j["imported_at"] = record.imported_at;
  j["source"] = record.source;
  // Invalid UTF-8 in the informational strings is replaced rather than thrown on.
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

Result<SignatureRecord> ParseSignatureRecord(std::string_view text) {
  if (text.size() > kMaxSignatureRecordBytes) {
    return MakeError(ErrorKind::kTooLarge, "{} of {} bytes exceeds the {} byte limit", kRecordWhat,
                     text.size(), kMaxSignatureRecordBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json doc, ParseJsonAsGo(text, kRecordWhat));
  if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{} is not a JSON object", kRecordWhat);
  auto version = doc.find("version");
  if (version == doc.end() || !version->is_number_unsigned() || version->get<uint64_t>() != 1) {
    return MakeError(ErrorKind::kParse, "{}: version must be 1", kRecordWhat);
  }
  SignatureRecord out;
  VERIFIED_ASSIGN_OR_RETURN(std::string format, RequiredString(doc, "format", kRecordWhat));
  if (format == "simple-signing") {
    out.format = SignatureFormat::kSimpleSigning;
  } else if (format == "sigstore-bundle") {
    out.format = SignatureFormat::kSigstoreBundle;
  } else {
    return MakeError(ErrorKind::kParse, "{}: unknown format {}", kRecordWhat, QuoteJsonKey(format));
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string digest, RequiredString(doc, "digest", kRecordWhat));
  VERIFIED_ASSIGN_OR_RETURN(out.digest, ParseDigest(digest, "signature record: digest"));
  VERIFIED_RETURN_IF_ERROR(ParseMaterial(doc, out));
  VERIFIED_ASSIGN_OR_RETURN(out.imported_by, OptionalString(doc, "imported_by"));
  VERIFIED_ASSIGN_OR_RETURN(out.imported_at, OptionalString(doc, "imported_at"));
  VERIFIED_ASSIGN_OR_RETURN(out.source, OptionalString(doc, "source"));
  return out;
}

Result<VerifiedSignature> VerifySignatureRecord(const SignatureRecord& record,
                                                const std::vector<PublicKey>& keys) {
  VERIFIED_ASSIGN_OR_RETURN(Claims c, VerifyWithAnyKey(record, keys));
  VERIFIED_RETURN_IF_ERROR(CheckPredicate(record, c));
  if (std::find(c.digests.begin(), c.digests.end(), record.digest) == c.digests.end()) {
    return MakeError(ErrorKind::kIntegrity,
                     "key {} signed {}, not {} (the digest it is stored for)", c.signature.key_name,
                     fmt::join(c.digests, ", "), record.digest);
  }
  return c.signature;
}

Result<std::string> SignedDigest(const SignatureRecord& record,
                                 const std::vector<PublicKey>& keys) {
  VERIFIED_ASSIGN_OR_RETURN(Claims c, VerifyWithAnyKey(record, keys));
  VERIFIED_RETURN_IF_ERROR(CheckPredicate(record, c));
  if (c.digests.size() != 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "the signature names {} digests: give the manifest it is for",
                     c.digests.size());
  }
  return c.digests[0];
}

}  // namespace verified::signature
