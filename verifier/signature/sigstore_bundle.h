// Sigstore bundles v0.3 (what `cosign sign --key` v3 writes by default) holding a DSSE
// envelope signed by a key the host trusts.
//
// The key always comes from the caller (the host's key directory), never from the bundle:
// `verificationMaterial.publicKey.hint` is returned for messages only. Transparency-log entries
// and signed timestamps, when present, are not checked (they would need Rekor's and the TSA's
// keys and prove when a signature was logged, not who made it). Keyless bundles (a Fulcio
// certificate) are refused: checking them needs the Fulcio roots, the certificate's validity at
// a verified signing time and the identity in its SAN, none of which this offline verifier has.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/dsse.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest bundle file we parse (cosign's are 2-10 KiB with tlog entries and certificates).
inline constexpr size_t kMaxBundleBytes = 1024 * 1024;
/// The two spellings of the v0.3 bundle media type.
inline constexpr std::string_view kBundleMediaTypeV03 =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kBundleMediaTypeV03Alt =
    "application/vnd.dev.sigstore.bundle+json;version=0.3";

/// A parsed, not yet verified, key-based DSSE bundle.
struct SigstoreBundle {
  std::string media_type;
  std::string key_hint;  ///< verificationMaterial.publicKey.hint ("" when absent)
  DsseEnvelope envelope;
};

/// Parses a bundle file strictly: duplicate keys refused; top-level members exactly mediaType,
/// verificationMaterial and dsseEnvelope; verificationMaterial with publicKey (only `hint`) and
/// optionally tlogEntries / timestampVerificationData (kept unread). Fails with kTooLarge beyond
/// kMaxBundleBytes; kUnsupported for another media type (v0.1, v0.2...), a `messageSignature`
/// bundle (a signed blob, not an image signature) or a keyless bundle (`certificate` /
/// `x509CertificateChain`), saying so; kParse naming the member otherwise. Attestations pass
/// larger `max_bytes` and `max_payload` (a vulnerability report can be megabytes).
Result<SigstoreBundle> ParseSigstoreBundle(std::string_view text,
                                           size_t max_bytes = kMaxBundleBytes,
                                           size_t max_payload = kMaxDssePayloadBytes);

/// A verified bundle's claims.
struct VerifiedBundle {
  InTotoStatement statement;
  std::string key_hint;  ///< for messages only
};

/// Parses `bundle_text`, checks payloadType is kInTotoPayloadType, verifies the DSSE signature
/// with `key` (dsse.h), then parses the payload as an in-toto Statement. The signature is
/// checked before the Statement is read. Does not check which digest or predicate the
/// Statement names: the caller compares statement.subject_digests with the digest it proves
/// and decides which predicateTypes count. Errors name the key and the step that failed.
Result<VerifiedBundle> VerifySigstoreBundle(const PublicKey& key, std::string_view bundle_text);

}  // namespace verified::signature
