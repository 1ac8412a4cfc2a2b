// Verifying a layer directory against a manifest: the layer's expected tree with the SHA-256
// of every file, computed once from the layer itself and kept in the content cache.
//
// Used where no tar-split exists (containerd snapshots: the manifest is built from the
// content-store blob, whose uncompressed stream must hash to the diffID) and by `cached` mode
// to re-check only what changed.
//
// Guarantee (weaker than tar-split's, stated in docs/content.md): the directory holds exactly
// the objects of the layer whose uncompressed tar hashes to the diffID, with the layer's
// metadata, and every file's bytes hash to that file's SHA-256 in the layer. It binds to the
// diffID through the manifest, which is only as trustworthy as the root-only cache holding
// it; the tar stream itself is not reproduced (byte-exact re-export is not needed to run).
#pragma once

#include <string>
#include <unordered_map>

#include "verifier/content/layer_outcome.h"
#include "verifier/content/layer_tree.h"
#include "verifier/core/result.h"

namespace verified::content {

/// Builds the manifest of a layer from its blob (a gzip-compressed or plain tar; zstd is
/// kUnsupported) and checks that the uncompressed stream hashes to `diff_id` (kIntegrity
/// otherwise). Bounded memory: the blob is streamed.
Result<ExpectedTree> BuildManifestFromBlob(const std::string& blob, const std::string& diff_id,
                                           Workspace& ws);

/// Same, from an already-open tar stream reader: `read(buf, len)` returns bytes read, 0 at
/// the end, or -1 with errno. Exposed for tests.
Result<ExpectedTree> BuildManifestFromTar(const std::function<ssize_t(char*, size_t)>& read,
                                          const std::string& diff_id);

/// Verifies `diff_dir` against `tree`. Files whose fingerprint in `trusted` is unchanged are
/// not re-read (cached mode); every other regular file is hashed and compared with its
/// digest. When `rec` is set, fingerprints are recorded. A mismatch is a LayerOutcome, errors
/// are I/O failures and limits.
Result<LayerOutcome> VerifyWithManifest(const std::string& diff_dir, const ExpectedTree& tree,
                                        const std::unordered_map<std::string, DiskStat>* trusted,
                                        Workspace& ws, Recording* rec);

}  // namespace verified::content
