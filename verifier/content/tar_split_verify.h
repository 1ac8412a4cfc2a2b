// Verifying a layer directory against its tar-split and diffID (Docker graphdriver layers,
// containers/storage layers).
//
// The layer's tar stream is reassembled exactly as `docker save` would produce it
// (tar-split/tar/asm/assemble.go): segments are raw archive bytes, file entries are filled
// from the layer directory. The stream is hashed as it is produced (one fixed buffer, no
// copy of the archive), and its SHA-256 must equal the diffID from the hashed image config.
// The same bytes feed a tar header parser, so the directory is then walked and compared
// object by object with what the headers describe (added, removed, retyped files, modes,
// owners, times, link targets, xattrs, whiteouts, opaque markers).
//
// Guarantee: when this passes, the bytes overlayfs reads from the layer directory for every
// file are the bytes of the layer whose digest is the diffID, and the directory holds
// exactly the layer's objects with the layer's metadata.
#pragma once

#include <string>

#include "verifier/content/layer_outcome.h"
#include "verifier/core/result.h"

namespace verified::content {

/// Verifies the layer in `diff_dir` against `tar_split` (gzip) and `diff_id`. When `rec` is
/// set, also computes each file's SHA-256 and records the tree and fingerprints for `cached`
/// mode (which costs a second hash of every byte). Errors: the tar-split is malformed, refers
/// outside the layer, or a limit or I/O error stopped the check (fail closed).
Result<LayerOutcome> VerifyTarSplitLayer(const std::string& diff_dir, const std::string& tar_split,
                                         const std::string& diff_id, Workspace& ws, Recording* rec);

}  // namespace verified::content
