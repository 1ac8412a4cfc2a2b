// The links of the chain of trust below a verified signature, proven at every create:
//
//   signed digest -> manifest bytes hashing to it -> (index: a listed manifest the engine
//   keeps) -> the manifest's config digest == the image ID the store proved -> that config's
//   diff_ids, which the store already proved to be the layer chain under the container.
//
// The manifest bytes come from the engine when it keeps a file with the signed digest (read
// and hash-checked only now, ReadManifestFile), else from the manifest stored with the
// signature (hash-checked by SignaturesFor). Every failure names the link that broke.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// Proves `signed_digest` down to `image`. `stored_manifest` is the manifest the signature
/// store holds for the digest (already checked to hash to it), if any. Returns one sentence
/// describing the proven chain. Fails with kNotFound when no manifest bytes for the digest are
/// available ("no manifest"); kIntegrity when an engine file does not hash to its digest
/// (ReadManifestFile), when a manifest names another config than the image ID, or when an
/// index lists no manifest the engine keeps with the image's config; ParseSignedManifest's
/// errors for a document that is no image manifest or index.
/// `through_index`, when given, is set to whether the digest named an index.
Result<std::string> ProveSignedDigest(const ResolvedImage& image, std::string_view signed_digest,
                                      const std::optional<std::string>& stored_manifest,
                                      bool* through_index = nullptr);

/// ProveSignedDigest for a caller that holds a cached proof (cached_chain.h) that the manifest
/// with digest `signed_digest` is a plain manifest naming image.image_id: the manifest bytes
/// are found and checked to hash to the digest exactly as ProveSignedDigest does (the engine's
/// file read and hashed now, else the store's, hashed when read), and not parsed again. The
/// same sentence and the same errors for missing or non-hashing bytes.
Result<std::string> ProveCachedManifest(const ResolvedImage& image, std::string_view signed_digest,
                                        const std::optional<std::string>& stored_manifest);

}  // namespace verified::signature
