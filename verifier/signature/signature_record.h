// One imported image signature as the signature store keeps it
// (<config-dir>/signatures/sha256-<hex>/<id>.json, signature_store.h).
//
// A record is a small JSON object:
//
//   {"version":1,
//    "format":"simple-signing",              // or "sigstore-bundle"
//    "digest":"sha256:<hex>",                // the manifest digest it was imported for
//    "payload":"<base64>","signature":"<base64>",   // simple-signing only
//    "bundle":"<base64 of the bundle file>",          // sigstore-bundle only
//    "imported_by":"root (uid 0)","imported_at":"2026-12-07T16:00:00Z","source":"<path>"}
//
// and its file name is its id (SignatureRecordId): the sha256 of the signature material, so
// the same signature imported twice is one file and a record whose material was edited no
// longer matches its name. The record is not trusted for what it claims: the payload or bundle
// is verified against the host's keys (VerifySignatureRecord) every time it is used, and only
// the digest the signed bytes name counts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest record file (a 1 MiB bundle in base64 plus the other members).
inline constexpr size_t kMaxSignatureRecordBytes = 2 * 1024 * 1024;

/// The signature formats a record may hold.
enum class SignatureFormat { kSimpleSigning, kSigstoreBundle };

/// "simple-signing" or "sigstore-bundle" (the record's `format`).
const char* SignatureFormatName(SignatureFormat format);

/// A parsed record. The material fields hold decoded bytes (the signature keeps its base64
/// text, which is what VerifySimpleSigning takes).
struct SignatureRecord {
  SignatureFormat format = SignatureFormat::kSimpleSigning;
  std::string digest;            ///< "sha256:<hex>": the digest it is stored under
  std::string payload;           ///< simple-signing: the payload bytes
  std::string signature_base64;  ///< simple-signing: the signature, strict base64
  std::string bundle;            ///< sigstore-bundle: the bundle file's bytes
  std::string imported_by;       ///< who ran the import (for listings only)
  std::string imported_at;       ///< when (RFC 3339; for listings only)
  std::string source;            ///< what was imported (a path; for listings only)
};

/// The record's id: lowercase hex sha256 over the format name and the material (payload and
/// signature, or bundle), each preceded by its length so that no two records share an id.
std::string SignatureRecordId(const SignatureRecord& record);

/// The record as stored (compact JSON, members in the order above, ending in a newline).
std::string SerializeSignatureRecord(const SignatureRecord& record);

/// Parses a stored record strictly: duplicate keys refused, exactly the members of its format
/// (imported_by, imported_at and source optional), `version` 1, a sha256 `digest`, material in
/// strict base64 within the layer-1 limits (payload kMaxSimpleSigningPayloadBytes, signature
/// kMaxSignatureBase64Chars, bundle kMaxBundleBytes). The material is not interpreted (it is
/// unverified). kTooLarge beyond kMaxSignatureRecordBytes; kParse naming the member otherwise.
Result<SignatureRecord> ParseSignatureRecord(std::string_view text);

/// What a record proves once verified.
struct VerifiedSignature {
  std::string key_name;          ///< the trusted key that verified it
  std::string key_fingerprint;   ///< its sha256 fingerprint (hex)
  std::string docker_reference;  ///< simple-signing: the signed docker-reference; bundle: ""
  std::string repository;        ///< its repository; "" for bundles (they name none)
};

/// Verifies `record` with each of `keys` in turn; the first that verifies wins. The signed
/// digest must be record.digest (a Statement may list it among other subjects): a simple-signing
/// payload's docker-manifest-digest, or (for a bundle) a subject of an in-toto Statement with
/// predicateType kCosignSignPredicate (other predicates are attestations, not approvals).
/// kIntegrity "signed by no trusted key", listing each key's failure, when none verifies; kNotFound
/// when `keys` is empty; kIntegrity naming both digests when the verifying key signed another
/// digest.
Result<VerifiedSignature> VerifySignatureRecord(const SignatureRecord& record,
                                                const std::vector<PublicKey>& keys);

/// The digest `record`'s material signs (its `digest` member is ignored), once one of `keys`
/// verifies it: the docker-manifest-digest of a simple-signing payload, the single subject of
/// a bundle's image-signature Statement. Fails as VerifySignatureRecord when no key verifies
/// it; kInvalidArgument when the Statement names several subjects (the manifest must then say
/// which one).
Result<std::string> SignedDigest(const SignatureRecord& record, const std::vector<PublicKey>& keys);

}  // namespace verified::signature
