// Making the writes a sandboxed create decision deferred (CreateRequest::defer_writes).
//
// The sandboxed decision sends its writes with its answer; they are as trusted as the answer
// itself, but the parent still writes only what a create decision writes: the signed policy's
// high-water mark (raised under the state dir's lock, never lowered), the three state-dir
// caches, and the content cache's manifest and fingerprint files. Any other path is refused
// unwritten, so an answer cannot direct the parent's root-owned writes elsewhere.
#pragma once

#include <string>

#include "verifier/core/result.h"
#include "verifier/fs/deferred_writes.h"

namespace verified {

/// Makes `w` when its path is one a create decision with these dirs writes:
///  - <state_dir>/policy-version: parsed as a mark (ParseMark) and raised with RaiseMark (under
///    the lock; a mark already at or above its version stays);
///  - <state_dir>/{policy-verified, policy-statement, signature-verifications}: EnsureStateDir,
///    then an atomic write, mode 0600;
///  - <config_dir>/content-cache/{manifests,fingerprints}/<64 lowercase hex>: the cache's
///    directories are created (0700) or checked private, then an atomic write, mode 0600.
/// kPermission for any other path (nothing written); otherwise the write's own errors.
/// `state_dir` "" = kDefaultStateDir.
Status ApplyDeferredWrite(const DeferredWrite& w, const std::string& config_dir,
                          const std::string& state_dir);

}  // namespace verified
