// What a signed manifest (or index) says about the image: the links of the chain of trust
// after "manifest bytes that hash to the signed digest" (docs/signatures.md).
//
// A manifest (OCI image manifest, Docker schema 2) names one config by digest; the config's
// digest is the image ID the store proved, and its rootfs.diff_ids the layer chain proven from
// the store and the mount. An index (OCI image index, Docker manifest list) names manifests by
// digest; it binds an image only through one of them. Only these members are read: the layer
// descriptors add nothing the config's diff_ids do not already prove.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"

namespace verified::signature {

/// Most manifests one index may list.
inline constexpr size_t kMaxIndexManifests = 1024;

/// The parts of a manifest or index the chain of trust uses.
struct SignedManifest {
  bool is_index = false;
  /// Manifest: the config descriptor's digest ("sha256:<hex>"); index: "".
  std::string config_digest;
  /// Index: the digests of the manifests it lists, in order; manifest: empty.
  std::vector<std::string> manifests;
};

/// Parses manifest bytes (already bound to their digest; kMaxManifestBytes). The document is
/// read as the engines' Go decoders would, and ambiguity is refused (ParseJsonAsGo: keys equal
/// under Go's case folding, NUL). It is an index when it has a `manifests` array (its
/// mediaType, when present, must then be an index type), a manifest when it has a `config`
/// object (mediaType, when present, a manifest type); schemaVersion must be 2. kTooLarge beyond
/// kMaxManifestBytes or kMaxIndexManifests; kUnsupported for another shape (schema 1, an
/// artifact without a config) or a non-sha256 digest; kParse naming the member otherwise.
Result<SignedManifest> ParseSignedManifest(std::string_view bytes);

}  // namespace verified::signature
