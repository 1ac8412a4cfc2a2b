// Signatures an engine keeps beside an image, read in place (no import needed).
//
// containers/storage (Podman, CRI-O, Buildah; with `use-sigstore-attachments: true` in
// registries.d, containers/image stores the sigstore signatures it pulls): the signatures of a
// manifest are one image big-data item holding the signature blobs back to back, and the image
// record's `metadata` (a JSON object in a string) holds their sizes:
//
//   key "signatures"            sizes in metadata "signature-sizes": [n, ...]
//                               (the default instance: the "manifest" item's digest)
//   key "signature-<hex>"       sizes in metadata "signatures-sizes": {"sha256:<hex>": [n, ...]}
//
// (containers/image storage/storage_dest.go commitWithOptions and storage_src.go
// GetSignaturesWithFormat). Each blob is a containers/image signature: a cosign signature is
// "\0sigstore-json\n" + JSON (sigstore_json_signature.h); other formats (GPG simple signing)
// are skipped. Docker (overlay2 and its containerd store) and plain containerd keep none.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/signature_record.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// Most bytes read for one signatures big-data item.
inline constexpr size_t kMaxEngineSignatureBlobBytes = 4 * 1024 * 1024;
/// Most signatures taken from one item.
inline constexpr size_t kMaxEngineSignatures = 64;

/// Where one item's signatures are, from an image record's metadata, for `digest`.
struct EngineSignatureItem {
  std::string key;            ///< the big-data key ("signatures" or "signature-<hex>")
  std::vector<size_t> sizes;  ///< each signature's length, in order
};

/// The items holding signatures for `digest` ("sha256:<hex>"): "signature-<hex>" with
/// metadata's signatures-sizes[digest], and "signatures" with signature-sizes when `digest` is
/// the image's `default_digest`. Items with no sizes are left out. kParse for metadata that is
/// not a JSON object with these members of the right types (duplicate keys refused, sizes
/// non-negative integers), kTooLarge for more than kMaxEngineSignatures sizes or a size beyond
/// kMaxSigstoreJsonFileBytes. Empty metadata gives none.
Result<std::vector<EngineSignatureItem>> EngineSignatureItems(std::string_view metadata,
                                                              std::string_view digest,
                                                              std::string_view default_digest);

/// Splits an item's bytes by `item.sizes` into records for `digest` (format simple-signing,
/// source `source#<n>`, imported_by "containers/storage"), skipping signatures of formats other
/// than sigstore-json. kInconsistent when the sizes do not add up to the blob's length (as
/// GetSignaturesWithFormat refuses); kParse for a sigstore-json signature that does not parse.
/// The signatures are not verified here.
Result<std::vector<SignatureRecord>> SplitEngineSignatures(std::string_view blob,
                                                           const EngineSignatureItem& item,
                                                           std::string_view digest,
                                                           std::string_view source);

/// The signatures the engine that holds `image` keeps for `manifest_digest`, unverified (the
/// caller verifies each against the host's keys). Empty for engines that keep none (Docker,
/// containerd) and for images without any. containers/storage: the image record is re-read from
/// images.json under image.store_root (the image must still be there: kNotFound otherwise), the
/// item read beneath the graph root (no symlink, no `..`, at most kMaxEngineSignatureBlobBytes)
/// and, when images.json records its digest, hashed against it (kIntegrity); errors as above.
Result<std::vector<SignatureRecord>> EngineSignaturesFor(const ResolvedImage& image,
                                                         std::string_view manifest_digest);

}  // namespace verified::signature
