// Content verification of a whole image: every layer directory a container will run from is
// proven to hold its layer's bytes (see tar_split_verify.h and manifest_verify.h), or its
// `cached` fingerprints prove it unchanged since it was.
//
// Layers are verified in parallel (one thread per core, each with one fixed read buffer), so
// memory stays bounded whatever the image size. Never fails: anything that stops a layer
// from being verified is a failed layer with the reason, and the decision fails closed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "verifier//core/result.h"
#include "verifier/fs/deferred_writes.h"
#include "verifier/store/resolved_image.h"

namespace verified::content {

/// The policy knob: off, full (re-hash on every create), cached (fingerprints, re-hash what
/// changed).
enum class ContentMode { kOff, kFull, kCached };

/// Parses "off" / "full" / "cached" (kInvalidArgument otherwise).
Result<ContentMode> ParseContentMode(std::string_view s);
const char* ContentModeName(ContentMode m);

/// One layer's result.
struct LayerReport {
  size_t index = 0;  ///< 0-based, bottom layer first
  std::string diff_id;
  std::string diff_dir;
  bool ok = false;
  std::string file;     ///< first differing object ("" when not about one object)
  std::string message;  ///< what differs or why it could not be verified
  std::string digest;   ///< reassembled stream digest, when computed
  std::string method;   ///< "tar-split", "manifest", "fingerprints", "fingerprints+rehash"
  uint64_t bytes = 0, files = 0, rehashed = 0;
  double ms = 0;
};

/// The image's result.
struct ContentReport {
  bool ok = false;
  std::vector<LayerReport> layers;  ///< bottom first; layers above a failure may be absent
  uint64_t bytes = 0, files = 0;
  double elapsed_ms = 0;
  unsigned threads = 0;

  /// The lowest failing layer, or nullptr.
  const LayerReport* FirstFailure() const;
  /// One sentence: what was verified, or which layer and file differ and how.
  std::string Summary(size_t total_layers) const;
};

/// Options.
struct ContentOptions {
  ContentMode mode = ContentMode::kFull;
  std::string config_dir;  ///< holds content-cache/ (cached mode, manifests)
  unsigned threads = 0;    ///< 0 = one per online CPU
  /// Where cache writes go instead of the file system (a sandboxed decision); null = written.
  DeferredWrites* defer = nullptr;
};

/// Verifies every layer of `image` (its `layers` locations). kOff returns ok at once.
ContentReport VerifyImageContent(const ResolvedImage& image, const ContentOptions& opt);

}  // namespace verified::content
