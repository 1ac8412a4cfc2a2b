// DSSE envelopes (github.com/secure-systems-lab/dsse, protocol v1) as a sigstore bundle
// carries them in `dsseEnvelope`. The signature is over the pre-authentication encoding
// (PAE) of the payload type and of the DECODED payload bytes exactly as they are:
//
//   "DSSEv1" SP LEN(type) SP type SP LEN(payload) SP payload
//
// never over re-serialised JSON, so the bytes we verify are the bytes we then parse.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest decoded DSSE payload we accept (an image-signature Statement is ~250 bytes; SLSA
/// provenance can reach tens of KiB).
inline constexpr size_t kMaxDssePayloadBytes = 256 * 1024;

/// One DSSE envelope with its single signature, decoded.
struct DsseEnvelope {
  std::string payload_type;  ///< payloadType
  std::string payload;       ///< the decoded payload bytes
  std::string signature;     ///< the decoded signature bytes (signatures[0].sig)
  std::string keyid;         ///< signatures[0].keyid ("" when absent); never used to pick a key
};

/// Reads a bundle's `dsseEnvelope` object: exactly the members payload, payloadType and
/// signatures; exactly one signature (the sigstore bundle spec allows no more) with members
/// sig and optional keyid; payload and sig in strict base64 (core/base64.h). kParse naming
/// the member otherwise; kTooLarge for a payload over `max_payload` (attestations, whose
/// predicate may be a scanner's report, pass a larger limit: verifier/attestation/).
Result<DsseEnvelope> ParseDsseEnvelope(const nlohmann::json& j,
                                       size_t max_payload = kMaxDssePayloadBytes);

/// The DSSE v1 pre-authentication encoding of (payload_type, payload).
std::string DssePae(std::string_view payload_type, std::string_view payload);

/// Verifies the envelope's signature over DssePae(payload_type, payload) with `key`
/// (public_key.h). kIntegrity naming the key when it does not verify.
Status VerifyDsse(const PublicKey& key, const DsseEnvelope& envelope);

}  // namespace verified::signature
