#include "verifier/signature/cached_chain.h"

#include <algorithm>

#include "verifier/crypto/sha256.h"

namespace verified::signature {
namespace {

constexpr std::string_view kScheme = "signature chain v1";

std::optional<ChainHit> Find(const VerificationCache& cache, const ChainKey& key,
                             const std::vector<KeyFingerprint>& keys) {
  auto fp = cache.FindName(ChainCacheName(key), key.key_fingerprints);
  if (!fp) return std::nullopt;
  for (const auto& k : keys) {
    if (k.fingerprint == *fp) return ChainHit{k.name, *fp, key.format, key.repository};
  }
  return std::nullopt;
}

}  // namespace

std::string ChainCacheName(const ChainKey& key) {
  std::vector<std::string> fps = key.key_fingerprints;
  std::sort(fps.begin(), fps.end());
  Sha256 h;
  h.UpdateLengthPrefixed(kScheme);
  h.UpdateLengthPrefixed(key.record_file);
  h.UpdateLengthPrefixed(key.record_sha256);
  h.UpdateLengthPrefixed(key.manifest_digest);
  h.UpdateLengthPrefixed(key.image_id);
  h.UpdateLengthPrefixed(std::to_string(fps.size()));
  for (const auto& f : fps) h.UpdateLengthPrefixed(f);
  h.UpdateLengthPrefixed(key.policy_digest);
  h.UpdateLengthPrefixed(key.identity);
  h.UpdateLengthPrefixed(SignatureFormatName(key.format));
  h.UpdateLengthPrefixed(key.repository);
  return h.FinalHex();
}

std::optional<ChainHit> FindCachedChain(const VerificationCache& cache, ChainKey key,
                                        const std::vector<KeyFingerprint>& keys,
                                        const std::set<std::string>& repositories) {
  key.format = SignatureFormat::kSigstoreBundle;
  key.repository.clear();
  if (auto hit = Find(cache, key, keys)) return hit;
  key.format = SignatureFormat::kSimpleSigning;
  if (key.identity != "repository") return Find(cache, key, keys);
  for (const auto& r : repositories) {
    key.repository = r;
    if (auto hit = Find(cache, key, keys)) return hit;
  }
  return std::nullopt;
}

Status AddCachedChain(VerificationCache& cache, const ChainKey& key,
                      const std::string& fingerprint) {
  return cache.AddName(ChainCacheName(key), key.key_fingerprints, fingerprint);
}

}  // namespace verified::signature
