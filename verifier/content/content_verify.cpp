#include "verifier/content/content_verify.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <optional>
#include <thread>
#include <unordered_map>

#include "verifier/content/content_cache.h"
#include "verifier/content/fingerprint_check.h"
#include "verifier/content/manifest_verify.h"
#include "verifier/content/tar_split_verify.h"

namespace verified::content {
namespace {

double MsSince(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

void Apply(LayerReport& r, const LayerOutcome& o) {
  r.ok = o.ok;
  r.file = o.file;
  r.message = o.message;
  r.digest = o.digest;
  r.bytes = o.bytes;
  r.files = o.files;
  r.rehashed = o.rehashed;
}

// lstat: the source is a store file named by path; a missing one gives an all-zero stat, which
// never equals a recorded fingerprint.
DiskStat SourceStat(const std::string& path) {
  struct stat st;
  return lstat(path.c_str(), &st) == 0 ? FromStat(st) : DiskStat();
}

class LayerVerifier {
 public:
  LayerVerifier(const ContentOptions& opt, const ContentCache& cache, unsigned inner_threads)
      : opt_(opt), cache_(cache), inner_threads_(inner_threads) {}

  LayerReport Run(const LayerLocation& loc, size_t index, Workspace& ws) {
    auto start = std::chrono::steady_clock::now();
    LayerReport r;
    r.index = index;
    r.diff_id = loc.diff_id;
    r.diff_dir = loc.diff_dir;
    Status st = opt_.mode == ContentMode::kCached ? Cached(loc, r, ws) : Full(loc, r, ws);
    if (!st.ok()) {
      r.ok = false;
      r.message = "cannot be verified: " + st.error().What();
    }
    r.ms = MsSince(start);
    return r;
  }

 private:
  static Status NoSource(const LayerLocation& loc) {
    return MakeError(ErrorKind::kUnsupported,
                     "the store keeps neither a tar-split nor a content-store blob for layer {}, "
                     "so its files cannot be checked against the diffID",
                     loc.diff_id);
  }

  // The manifest of a layer that has no tar-split: from the cache, else built from the blob.
  Result<std::pair<ExpectedTree, std::string>> BlobManifest(const LayerLocation& loc,
                                                            Workspace& ws) {
    VERIFIED_ASSIGN_OR_RETURN(auto cached, cache_.LoadManifest(loc.diff_id));
    if (cached) return std::move(*cached);
    VERIFIED_ASSIGN_OR_RETURN(ExpectedTree tree, BuildManifestFromBlob(loc.blob, loc.diff_id, ws));
    // The manifest just built is trustworthy in memory; a cache that cannot be written (a
    // read-only config dir) costs the next create a rebuild, nothing else. "" = not stored.
    auto digest = cache_.StoreManifest(loc.diff_id, tree);
    return std::make_pair(std::move(tree), digest.ok() ? *digest : std::string());
  }

  Status Full(const LayerLocation& loc, LayerReport& r, Workspace& ws) {
    if (!loc.tar_split.empty()) {
      r.method = "tar-split";
      VERIFIED_ASSIGN_OR_RETURN(LayerOutcome o, VerifyTarSplitLayer(loc.diff_dir, loc.tar_split,
                                                                    loc.diff_id, ws, nullptr));
      Apply(r, o);
      return Ok();
    }
    if (loc.blob.empty()) return NoSource(loc);
    r.method = "manifest";
    VERIFIED_ASSIGN_OR_RETURN(auto manifest, BlobManifest(loc, ws));
    VERIFIED_ASSIGN_OR_RETURN(
        LayerOutcome o, VerifyWithManifest(loc.diff_dir, manifest.first, nullptr, ws, nullptr));
    Apply(r, o);
    return Ok();
  }

  Status Cached(const LayerLocation& loc, LayerReport& r, Workspace& ws) {
    const std::string& source = !loc.tar_split.empty() ? loc.tar_split : loc.blob;
    if (source.empty()) return NoSource(loc);
    DiskStat source_st = SourceStat(source);
    VERIFIED_ASSIGN_OR_RETURN(auto fpr, cache_.LoadFingerprints(loc.diff_id, loc.diff_dir));
    if (fpr && fpr->source == source && fpr->source_st.SameFingerprint(source_st)) {
      VERIFIED_ASSIGN_OR_RETURN(auto root, OpenLayerRoot(loc.diff_dir));
      std::optional<std::string> changed;
      if (!root.second.SameFingerprint(fpr->fps.root)) {
        changed = "";
      } else {
        VERIFIED_ASSIGN_OR_RETURN(
            changed, ParallelFingerprintCheck(root.first.get(), root.second, fpr->fps));
      }
      if (!changed) {
        r.ok = true;
        r.method = "fingerprints";
        r.files = fpr->fps.count;
        return Ok();
      }
      VERIFIED_ASSIGN_OR_RETURN(auto manifest, cache_.LoadManifest(loc.diff_id));
      if (manifest && manifest->second == fpr->manifest_digest) {
        return Rehash(loc, *fpr, manifest->first, r, ws);
      }
    }
    return Record(loc, source, source_st, r, ws);
  }

  // Something changed since the fingerprints were taken: re-check the tree and re-hash only
  // the files whose fingerprint changed.
  Status Rehash(const LayerLocation& loc, FingerprintRecord& fpr, const ExpectedTree& tree,
                LayerReport& r, Workspace& ws) {
    r.method = "fingerprints+rehash";
    std::unordered_map<std::string, DiskStat> trusted;
    trusted.reserve(fpr.fps.count);
    for (const auto& g : fpr.fps.groups)
      for (const auto& e : g.entries) trusted.emplace(JoinPath(g.dir, e.name), e.st);
    Recording rec;
    VERIFIED_ASSIGN_OR_RETURN(LayerOutcome o,
                              VerifyWithManifest(loc.diff_dir, tree, &trusted, ws, &rec));
    Apply(r, o);
    if (o.ok) {
      fpr.fps = std::move(rec.fps);
      (void)cache_.StoreFingerprints(fpr);  // a cache that cannot be written costs speed only
    }
    return Ok();
  }

  // No usable fingerprints: verify in full and record the manifest and fingerprints.
  Status Record(const LayerLocation& loc, const std::string& source, const DiskStat& source_st,
                LayerReport& r, Workspace& ws) {
    Recording rec;
    std::string manifest_digest;
    if (!loc.tar_split.empty()) {
      r.method = "tar-split";
      VERIFIED_ASSIGN_OR_RETURN(
          LayerOutcome o, VerifyTarSplitLayer(loc.diff_dir, loc.tar_split, loc.diff_id, ws, &rec));
      Apply(r, o);
      if (!o.ok) return Ok();
      auto stored = cache_.StoreManifest(loc.diff_id, rec.tree);
      if (stored.ok()) manifest_digest = *stored;
    } else {
      r.method = "manifest";
      VERIFIED_ASSIGN_OR_RETURN(auto manifest, BlobManifest(loc, ws));
      VERIFIED_ASSIGN_OR_RETURN(
          LayerOutcome o, VerifyWithManifest(loc.diff_dir, manifest.first, nullptr, ws, &rec));
      Apply(r, o);
      if (!o.ok) return Ok();
      manifest_digest = manifest.second;
    }
    if (manifest_digest.empty()) return Ok();  // verified, but nothing could be cached
    FingerprintRecord fpr{loc.diff_id, loc.diff_dir,    source,
                          source_st,   manifest_digest, std::move(rec.fps)};
    (void)cache_.StoreFingerprints(fpr);
    return Ok();
  }

  // The fast path for one layer, split over the cores the layer pool leaves idle (an image
  // with fewer layers than cores, typically one big base layer).
  Result<std::optional<std::string>> ParallelFingerprintCheck(int rootfd, const DiskStat& root,
                                                              const Fingerprints& fps) {
    size_t parts = std::min<size_t>(inner_threads_, fps.count / 2048 + 1);
    if (parts <= 1 || fps.groups.size() < parts) {
      return FirstFingerprintChange(rootfd, root, fps, 0, fps.groups.size());
    }
    // Cut the groups into ranges of about equal entry counts.
    std::vector<size_t> cuts{0};
    size_t acc = 0, per = fps.count / parts + 1;
    for (size_t g = 0; g < fps.groups.size(); ++g) {
      acc += fps.groups[g].entries.size() + 1;
      if (acc >= per * cuts.size() && cuts.size() < parts) cuts.push_back(g + 1);
    }
    cuts.push_back(fps.groups.size());
    std::vector<Result<std::optional<std::string>>> results(
        cuts.size() - 1, Result<std::optional<std::string>>(std::optional<std::string>()));
    std::vector<std::thread> threads;
    for (size_t i = 1; i + 1 < cuts.size(); ++i) {
      threads.emplace_back(
          [&, i] { results[i] = FirstFingerprintChange(rootfd, root, fps, cuts[i], cuts[i + 1]); });
    }
    results[0] = FirstFingerprintChange(rootfd, root, fps, cuts[0], cuts[1]);
    for (auto& t : threads) t.join();
    for (auto& r : results) {
      if (!r.ok() || *r) return std::move(r);
    }
    return std::optional<std::string>();
  }

  const ContentOptions& opt_;
  const ContentCache& cache_;
  unsigned inner_threads_;
};

// Bigger layers first, so the last thread to finish is not the one that drew the biggest.
std::vector<size_t> Schedule(const std::vector<LayerLocation>& layers) {
  std::vector<std::pair<int64_t, size_t>> cost;
  for (size_t i = 0; i < layers.size(); ++i) {
    const auto& l = layers[i];
    struct stat st;
    const std::string& src = !l.tar_split.empty() ? l.tar_split : l.blob;
    int64_t c = (!src.empty() && stat(src.c_str(), &st) == 0) ? st.st_size : 0;
    cost.emplace_back(-c, i);
  }
  std::stable_sort(cost.begin(), cost.end());
  std::vector<size_t> order;
  for (const auto& [c, i] : cost) order.push_back(i);
  return order;
}

}  // namespace

Result<ContentMode> ParseContentMode(std::string_view s) {
  if (s == "off") return ContentMode::kOff;
  if (s == "full") return ContentMode::kFull;
  if (s == "cached") return ContentMode::kCached;
  return MakeError(ErrorKind::kInvalidArgument,
                   "content must be \"off\", \"full\" or \"cached\", not \"{}\"", s);
}

const char* ContentModeName(ContentMode m) {
  switch (m) {
    case ContentMode::kOff:
      return "off";
    case ContentMode::kFull:
      return "full";
    case ContentMode::kCached:
      return "cached";
  }
  return "?";
}

const LayerReport* ContentReport::FirstFailure() const {
  for (const auto& l : layers)
    if (!l.ok) return &l;
  return nullptr;
}

std::string ContentReport::Summary(size_t total) const {
  if (const LayerReport* f = FirstFailure()) {
    std::string where =
        fmt::format("layer {} of {} (diffID {}, {})", f->index + 1, total, f->diff_id, f->diff_dir);
    if (!f->file.empty()) return fmt::format("{}: {} {}", where, f->file, f->message);
    if (f->message.rfind("cannot", 0) == 0) return fmt::format("{} {}", where, f->message);
    return fmt::format("{}: {}", where, f->message);
  }
  size_t cached = 0, rehashed = 0;
  for (const auto& l : layers) {
    if (l.method == "fingerprints") ++cached;
    rehashed += l.rehashed;
  }
  if (cached == layers.size() && !layers.empty()) {
    return fmt::format("{} layers unchanged since verified ({} objects fingerprinted, {:.1f} ms)",
                       layers.size(), files, elapsed_ms);
  }
  return fmt::format("{} layers match their diffIDs ({:.1f} MB hashed, {} files{}, {:.1f} ms)",
                     layers.size(), static_cast<double>(bytes) / 1e6, files,
                     rehashed > 0 ? fmt::format(", {} re-hashed", rehashed) : std::string(),
                     elapsed_ms);
}

ContentReport VerifyImageContent(const ResolvedImage& image, const ContentOptions& opt) {
  auto start = std::chrono::steady_clock::now();
  ContentReport report;
  if (opt.mode == ContentMode::kOff) {
    report.ok = true;
    return report;
  }
  const auto& layers = image.layers;
  if (layers.size() != image.diff_ids.size()) {
    LayerReport r;
    r.message = fmt::format("cannot be verified: the store located {} of the image's {} layers",
                            layers.size(), image.diff_ids.size());
    report.layers.push_back(r);
    return report;
  }
  ContentCache cache(opt.config_dir, opt.defer);
  std::vector<LayerReport> results(layers.size());
  std::vector<char> done(layers.size(), 0);
  std::vector<size_t> order = Schedule(layers);
  unsigned hw = opt.threads != 0 ? opt.threads : std::max(1u, std::thread::hardware_concurrency());
  unsigned n = static_cast<unsigned>(std::min<size_t>(hw, layers.size()));
  LayerVerifier verifier(opt, cache, std::max(1u, hw / std::max(1u, n)));
  std::atomic<size_t> next{0};
  std::atomic<size_t> lowest_failure{SIZE_MAX};
  auto worker = [&]() {
    Workspace ws;
    while (true) {
      size_t k = next.fetch_add(1);
      if (k >= order.size()) return;
      size_t i = order[k];
      // Once layer j failed, layers above it cannot change which failure is reported first.
      if (i > lowest_failure.load()) continue;
      results[i] = verifier.Run(layers[i], i, ws);
      done[i] = 1;
      if (!results[i].ok) {
        size_t cur = lowest_failure.load();
        while (i < cur && !lowest_failure.compare_exchange_weak(cur, i)) {
        }
      }
    }
  };
  std::vector<std::thread> threads;
  for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
  worker();
  for (auto& t : threads) t.join();
  report.threads = std::max(1u, n);
  report.ok = lowest_failure.load() == SIZE_MAX;
  for (size_t i = 0; i < layers.size(); ++i) {
    if (!done[i]) continue;
    report.bytes += results[i].bytes;
    report.files += results[i].files;
    report.layers.push_back(std::move(results[i]));
  }
  report.elapsed_ms = MsSince(start);
  return report;
}

}  // namespace verified::content
