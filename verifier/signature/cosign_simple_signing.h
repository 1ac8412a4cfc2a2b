// cosign "simple signing" signatures: the format of the `sha256-<digest>.sig` images cosign
// (before v3, or with --new-bundle-format=false) attaches, and of containers/image's sigstore
// signatures. The signature is over the payload bytes exactly as stored; the payload is
//
//   {"critical":{"identity":{"docker-reference":"REPO[:TAG]"},
//                "image":{"docker-manifest-digest":"sha256:..."},
//                "type":"cosign container image signature"},
//    "optional":{...} | null}
//
// parsed strictly: exactly these `critical` members (containers/image refuses unknown ones
// too: signature/internal/sigstore_payload.go), no duplicate keys (case-folded as Go's
// encoding/json folds them, since cosign itself reads the payload with it), nothing else at
// the top level.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/signature/public_key.h"

namespace verified::signature {

/// Largest payload we parse (cosign's are ~250 bytes, with annotations a few KiB).
inline constexpr size_t kMaxSimpleSigningPayloadBytes = 64 * 1024;
/// Largest base64 signature text (an RSA-8192 signature is 1368 characters).
inline constexpr size_t kMaxSignatureBase64Chars = 4096;
/// The value `critical.type` must have.
inline constexpr std::string_view kCosignSignatureType = "cosign container image signature";

/// The claims of a simple-signing payload.
struct SimpleSigningPayload {
  std::string docker_reference;  ///< critical.identity.docker-reference, as written
  std::string repository;        ///< its normalised repository (domain/path), tag dropped
  std::string manifest_digest;   ///< critical.image.docker-manifest-digest ("sha256:<hex>")
  nlohmann::json optional;       ///< the `optional` object, null when absent or null
};

/// Parses a payload. kTooLarge beyond kMaxSimpleSigningPayloadBytes; kParse, naming the field,
/// for malformed JSON, duplicate keys, a missing or unknown member in `critical` (or in its
/// `identity` / `image`) or at the top level, a wrong type, a `critical.type` other than
/// kCosignSignatureType, a docker-reference that is not a valid reference, or a manifest digest
/// that is not sha256:<64 lowercase hex>.
Result<SimpleSigningPayload> ParseSimpleSigningPayload(std::string_view payload);

/// Verifies a simple-signing signature: decodes `signature_base64` (strict, see
/// core/base64.h), verifies it over `payload` with `key` (public_key.h), then parses the
/// payload. The signature is checked before the payload is parsed, so unsigned bytes are never
/// interpreted. Errors name the key and say which step failed.
Result<SimpleSigningPayload> VerifySimpleSigning(const PublicKey& key, std::string_view payload,
                                                 std::string_view signature_base64);

/// VerifyManifestBinding (manifest_binding.h) against the payload's docker-manifest-digest.
Status VerifyManifestBinding(std::string_view manifest_bytes, const SimpleSigningPayload& payload);

}  // namespace verified::signature
