// The link from a signed digest to manifest bytes: the signature names a manifest by digest,
// and the manifest the runtime reads must be exactly the bytes with that digest.
#pragma once

#include <string_view>

#include "verifier/core/result.h"

namespace verified::signature {

/// Largest manifest (or index) we hash for a binding; registries cap manifests at 4 MiB.
inline constexpr size_t kMaxManifestBytes = 4 * 1024 * 1024;

/// Checks that `manifest_bytes` hash to `signed_digest` ("sha256:<64 hex>"). kTooLarge beyond
/// kMaxManifestBytes; kUnsupported for another digest algorithm; kParse for a malformed digest;
/// kIntegrity, naming both digests, when the bytes are another manifest (modified, or a
/// signature for another image).
Status VerifyManifestBinding(std::string_view manifest_bytes, std::string_view signed_digest);

}  // namespace verified::signature
