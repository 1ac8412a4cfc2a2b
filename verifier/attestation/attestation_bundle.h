// Attestations: in-toto Statements in DSSE, in a sigstore bundle v0.3 as `cosign attest --key`
// (v3, bundle format) and `verifiedctl attest` write, verified with the host's trusted keys
// (<config-dir>/keys), never with a key the bundle carries. Keyless bundles (a Fulcio
// certificate) are refused as for signatures (verifier/signature/sigstore_bundle.h).
//
// A verified attestation says something about the digests its Statement names; which digest
// is this container's image is proven by the caller (attestation_collect.h) with the
// signatures' chain (signature/signature_chain.h). Its predicate is parsed once, here, by
// the parser of its type (predicate.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/attestation/predicate.h"
#include "verifier/core/result.h"
#include "verifier/signature/in_toto_statement.h"
#include "verifier/signature/public_key.h"

namespace verified::attestation {

/// Largest attestation bundle read (a Trivy report of a large image is several MiB; base64
/// adds a third).
inline constexpr size_t kMaxAttestationBundleBytes = 32 * 1024 * 1024;
/// Largest decoded Statement.
inline constexpr size_t kMaxAttestationPayloadBytes = 24 * 1024 * 1024;

/// A verified attestation.
struct VerifiedAttestation {
  std::string key_name;         ///< the trusted key that verified it
  std::string key_fingerprint;  ///< its sha256 fingerprint (hex)
  signature::InTotoStatement statement;
  Predicate predicate;  ///< parsed by its type
};

/// Parses `bundle` (kMaxAttestationBundleBytes, payload kMaxAttestationPayloadBytes), checks
/// the payloadType is in-toto, verifies the DSSE signature with each of `keys` in turn (the
/// first that verifies wins), then parses the Statement and its predicate. Errors:
/// ParseSigstoreBundle's (kUnsupported for a keyless bundle, saying so); kNotFound when `keys`
/// is empty; kIntegrity "signed by no trusted key" listing each key's failure; kInvalidArgument
/// for cosign's image-signature predicate (a signature, not an attestation: signature import);
/// the predicate parser's errors (a verified attestation whose predicate does not parse
/// counts for nothing).
Result<VerifiedAttestation> VerifyAttestationBundle(std::string_view bundle,
                                                    const std::vector<signature::PublicKey>& keys);

/// A bare DSSE envelope (the layer of cosign's legacy `.att` manifest, what `cosign download
/// attestation` prints: {"payloadType","payload","signatures":[{"keyid","sig"}]}) as a v0.3
/// bundle with an empty publicKey: the envelope's members are kept as they are, and the
/// signature covers only the PAE of payloadType and the decoded payload, so the bundle verifies
/// exactly when the envelope does. kParse/kTooLarge as ParseDsseEnvelope (payload limit
/// kMaxAttestationPayloadBytes) and for text that is not one JSON object.
Result<std::string> BundleFromDsseEnvelope(std::string_view envelope);

/// True when `text` is a JSON object with a payloadType member and no mediaType: a bare DSSE
/// envelope rather than a bundle (false for anything that does not parse).
bool LooksLikeDsseEnvelope(std::string_view text);

/// Parses `bundle` without verifying it (for listings and import messages): the Statement
/// and, unverified, its predicate type and subjects. Errors as VerifyAttestationBundle's
/// parsing steps.
Result<signature::InTotoStatement> PeekAttestationBundle(std::string_view bundle);

}  // namespace verified::attestation
