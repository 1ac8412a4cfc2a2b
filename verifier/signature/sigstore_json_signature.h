// containers/image's stored form of a cosign simple-signing signature: the `signature-N` files
// of a `dir:` image (and the signatures skopeo/podman keep beside an image). A file is
//
//   "\0sigstore-json\n" {"mimeType":"application/vnd.dev.cosign.simplesigning.v1+json",
//                        "payload":<base64>,
//                        "annotations":{"dev.cosignproject.cosign/signature":<base64>, ...}}
//
// (containers/image signature/internal/sigstore_json.go; other formats of that directory, such
// as GPG "simple signing", start with another prefix or none and are refused here).
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::signature {

/// The prefix of a sigstore-json signature file.
inline constexpr std::string_view kSigstoreJsonPrefix{"\0sigstore-json\n", 15};
/// The only mimeType accepted.
inline constexpr std::string_view kCosignSimpleSigningMimeType =
    "application/vnd.dev.cosign.simplesigning.v1+json";
/// The annotation holding the signature.
inline constexpr std::string_view kCosignSignatureAnnotation = "dev.cosignproject.cosign/signature";
/// Largest signature file read (payload and signature well within; certificates and Rekor
/// bundles in other annotations can add a few KiB).
inline constexpr size_t kMaxSigstoreJsonFileBytes = 256 * 1024;

/// A signature file's payload bytes (decoded) and signature (its base64 text).
struct SigstoreJsonSignature {
  std::string payload;
  std::string signature_base64;
};

/// Parses a signature file. kUnsupported when the prefix is not kSigstoreJsonPrefix (another
/// signature format); kTooLarge beyond kMaxSigstoreJsonFileBytes; kParse for malformed JSON,
/// duplicate keys, members other than mimeType, payload and annotations, another mimeType, a
/// missing signature annotation or non-string annotation values, or base64 that is not strict.
/// Neither the payload nor the signature is verified here.
Result<SigstoreJsonSignature> ParseSigstoreJsonSignature(std::string_view file);

}  // namespace verified::signature
