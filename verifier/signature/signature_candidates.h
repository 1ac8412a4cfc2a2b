// The signatures that may speak for an image: the first link of the chain of trust at create.
//
// A signature names a manifest digest, so the candidates are the signatures stored for the
// digests that could be this image's manifests: the manifests and indexes the engine keeps for
// it (ResolvedImage::manifest_files), and the signed manifests stored with a config digest
// equal to the image ID (config_index.h; the only way in for Docker's overlay2 store, which
// keeps no manifests). Nothing here is trusted yet: each record is verified against the rule's
// keys and its digest proven down to the image by the caller (signature_chain.h).
#pragma once

#include <string>
#include <vector>

#include "verifier/core/result.h"
#include "verifier/signature/signature_store.h"
#include "verifier/store/resolved_image.h"

namespace verified::signature {

/// Where a candidate digest came from (for messages).
enum class CandidateSource {
  kEngineManifest,  ///< a manifest or index file the engine keeps for the image
  kStoredConfig,    ///< a manifest stored with signatures, whose config digest is the image ID
};

/// The signatures stored for one candidate digest.
struct SignatureCandidate {
  CandidateSource source = CandidateSource::kEngineManifest;
  /// digest, manifest.json (hash-checked) and the store's record files, not parsed yet
  /// (ParseStoredRecord: the caller parses each one it cannot answer from a cache, and a file
  /// that does not parse fails it as SignaturesFor would).
  StoredSignatureFiles stored;
  std::vector<SignatureRecord> engine_records;  ///< kept by the engine (engine_signatures.h)
};

/// Every candidate that has at least one stored signature, in a stable order (engine files
/// first, then the config index, each digest once), each with the signatures imported into
/// the store and those the engine keeps in place (engine_signatures.h).
/// Fails, naming the file, when the signature store or its index cannot be read (fail closed:
/// a broken store never reads as "unsigned" or as "signed").
Result<std::vector<SignatureCandidate>> CollectSignatures(const std::string& config_dir,
                                                          const ResolvedImage& image);

/// The digests CollectSignatures looked up (for a message saying where nothing was found).
Result<std::vector<std::string>> CandidateDigests(const std::string& config_dir,
                                                  const ResolvedImage& image);

}  // namespace verified::signature
