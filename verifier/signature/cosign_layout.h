// The OCI image layout `cosign save --dir DIR IMAGE` writes (sigstore/cosign
// cmd/cosign/cli/save.go, pkg/oci/layout/write.go), read for its signatures:
//
//   DIR/oci-layout                 {"imageLayoutVersion":"1.0.0"}
//   DIR/index.json                 an OCI index; each entry annotated "kind":
//                                    dev.cosignproject.cosign/image       the image manifest
//                                    dev.cosignproject.cosign/imageIndex  the image index
//                                    dev.cosignproject.cosign/sigs        simple-signing sigs
//                                    dev.cosignproject.cosign/atts        attestations (legacy)
//   DIR/blobs/sha256/<hex>         every manifest, config and layer
//
// The `sigs` manifest's layers are simple-signing payloads (media type
// application/vnd.dev.cosign.simplesigning.v1+json), each carrying its base64 signature in the
// layer annotation dev.cosignproject.cosign/signature. cosign v3 signs with sigstore bundles
// v0.3 attached as OCI referrers: a manifest whose artifactType is the bundle media type, whose
// `subject` is the image, and whose layer is the bundle. `cosign save` writes each referrer with
// WriteSignedImage, and every WriteSignedImage starts by rewriting index.json with an empty
// index (go-containerregistry layout.Write), so the referrers' blobs stay in blobs/sha256 while
// index.json ends up naming only the image and its legacy sigs/atts. Bundle manifests are
// therefore found both in index.json and by their `subject` among the small blobs.
//
// Everything is untrusted: sizes and counts are limited, every blob read is hashed against its
// name (and its descriptor's size), names are sha256 hex only (no path from the data is used),
// symlinks are refused (Dir). Nothing is verified here: the caller verifies each signature.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/signature_record.h"

namespace verified::signature {

/// Most entries read from index.json and signatures taken from one layout.
inline constexpr size_t kMaxLayoutEntries = 64;
/// Most bytes of index.json.
inline constexpr size_t kMaxLayoutIndexBytes = 1024 * 1024;
/// Blobs at most this large are looked at as possible referrer manifests.
inline constexpr size_t kMaxReferrerManifestBytes = 64 * 1024;
/// Most names in blobs/sha256 looked through.
inline constexpr size_t kMaxLayoutBlobs = 10000;
/// Largest DSSE envelope layer read from an `atts` manifest (a vulnerability report can be
/// megabytes; verifier/attestation/ applies its own limits on top).
inline constexpr size_t kMaxLayoutEnvelopeBytes = 32 * 1024 * 1024;
/// The media type of the DSSE envelope layers of cosign's legacy `.att` manifests.
inline constexpr std::string_view kDsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";

/// The files of a layout, as the parser sees them (a directory, or memory for fuzzing).
class LayoutFiles {
 public:
  virtual ~LayoutFiles() = default;
  /// The bytes of `rel` ("oci-layout", "index.json", "blobs/sha256/<hex>"); kNotFound when
  /// absent, kTooLarge beyond `limit`.
  virtual Result<std::string> Read(std::string_view rel, size_t limit) const = 0;
  /// The names in blobs/sha256 with their sizes, at most `max` (more: kTooLarge).
  virtual Result<std::vector<std::pair<std::string, uint64_t>>> ListBlobs(size_t max) const = 0;
};

/// What a layout holds.
struct CosignLayout {
  std::string image_digest;  ///< the `image` (or `imageIndex`) entry's digest
  std::string image_bytes;   ///< its manifest (or index) bytes, hash-checked
  /// Simple-signing records (payload, signature) and bundle records (bundle bytes), digest
  /// unset, source "<dir>/blobs/sha256/<hex>".
  std::vector<SignatureRecord> records;
  /// The DSSE envelope layers (kDsseEnvelopeMediaType) of the legacy `atts` manifests
  /// (`cosign attest` without the bundle format), as (source, bytes), unparsed.
  std::vector<std::pair<std::string, std::string>> dsse_envelopes;
};

/// Parses a layout. kParse for an oci-layout or index.json that is not what cosign writes
/// (JSON, imageLayoutVersion 1.0.0, duplicate keys refused), no or several image entries, a
/// descriptor without a sha256 digest, a sigs layer without its signature annotation;
/// kIntegrity for a blob that does not hash to its name or has another size than its
/// descriptor; kTooLarge past the limits above or the payload/bundle limits; kNotFound for
/// a missing blob, or when the layout holds neither a signature nor an attestation envelope.
/// `source` prefixes sources.
Result<CosignLayout> ParseCosignLayout(const LayoutFiles& files, std::string_view source);

/// True when `dir` holds an `oci-layout` file (it is an OCI layout, not a `dir:` directory).
bool IsOciLayoutDir(const std::string& dir);

/// ParseCosignLayout over the directory `dir` (opened as given; everything beneath is read
/// without following symlinks).
Result<CosignLayout> ReadCosignLayout(const std::string& dir);

}  // namespace verified::signature
