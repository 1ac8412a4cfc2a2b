#include "verifier/signature/verification_cache.h"

#include <algorithm>

#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"

namespace verified::signature {
namespace {

constexpr std::string_view kHeader = "verified signature verifications v1\n";
// A header, then per entry 64 hex + ' ' + 64 hex + '\n'.
constexpr size_t kLineBytes = 64 + 1 + 64 + 1;
constexpr size_t kMaxFileBytes = kHeader.size() + kMaxVerificationCacheEntries * kLineBytes;

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

// Parses the whole file or nothing: one bad line means the file is not what we wrote.
std::optional<std::vector<std::pair<std::string, std::string>>> Parse(std::string_view text) {
  if (text.substr(0, kHeader.size()) != kHeader) return std::nullopt;
  text.remove_prefix(kHeader.size());
  if (text.size() % kLineBytes != 0) return std::nullopt;
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t at = 0; at < text.size(); at += kLineBytes) {
    std::string_view line = text.substr(at, kLineBytes);
    std::string_view name = line.substr(0, 64), fp = line.substr(65, 64);
    if (line[64] != ' ' || line[kLineBytes - 1] != '\n' || !IsHex64(name) || !IsHex64(fp)) {
      return std::nullopt;
    }
    out.emplace_back(std::string(name), std::string(fp));
  }
  return out;
}

}  // namespace

std::string VerificationCacheName(const VerificationKey& key) {
  std::vector<std::string> fps = key.key_fingerprints;
  std::sort(fps.begin(), fps.end());
  Sha256 h;
  h.UpdateLengthPrefixed(key.record_id);
  h.UpdateLengthPrefixed(key.manifest_digest);
  h.UpdateLengthPrefixed(std::to_string(fps.size()));
  for (const auto& f : fps) h.UpdateLengthPrefixed(f);
  h.UpdateLengthPrefixed(key.policy_digest);
  return h.FinalHex();
}

VerificationCache VerificationCache::Load(const std::string& dir) {
  VerificationCache c;
  auto text = ReadTrustedFile(dir + "/" + kVerificationCacheFile, kMaxFileBytes);
  if (!text.ok()) {
    if (text.error().kind() != ErrorKind::kNotFound) c.ignored_ = text.error().What();
    return c;
  }
  auto entries = Parse(*text);
  if (!entries) {
    c.ignored_ = dir + "/" + kVerificationCacheFile + " is malformed";
    return c;
  }
  c.entries_ = std::move(*entries);
  return c;
}

std::optional<std::string> VerificationCache::Find(const VerificationKey& key) const {
  return FindName(VerificationCacheName(key), key.key_fingerprints);
}

std::optional<std::string> VerificationCache::FindName(
    const std::string& name, const std::vector<std::string>& fingerprints) const {
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first != name) continue;
    if (!Contains(fingerprints, it->second)) return std::nullopt;
    return it->second;
  }
  return std::nullopt;
}

Status VerificationCache::Add(const VerificationKey& key, const std::string& fingerprint) {
  return AddName(VerificationCacheName(key), key.key_fingerprints, fingerprint);
}

Status VerificationCache::AddName(std::string name, const std::vector<std::string>& fingerprints,
                                  const std::string& fingerprint) {
  if (!Contains(fingerprints, fingerprint) || !IsHex64(fingerprint) || !IsHex64(name)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "fingerprint {} is not one of the key set being cached", fingerprint);
  }
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const auto& e) { return e.first == name; }),
                 entries_.end());
  entries_.emplace_back(std::move(name), fingerprint);
  if (entries_.size() > kMaxVerificationCacheEntries) {
    entries_.erase(entries_.begin(),
                   entries_.begin() + (entries_.size() - kMaxVerificationCacheEntries));
  }
  return Ok();
}

Status VerificationCache::Save(const std::string& dir, DeferredWrites* defer) const {
  std::string text(kHeader);
  text.reserve(kHeader.size() + entries_.size() * kLineBytes);
  for (const auto& [name, fp] : entries_) {
    text += name;
    text += ' ';
    text += fp;
    text += '\n';
  }
  return WritePrivateOrDefer(defer, dir + "/" + kVerificationCacheFile, text);
}

}  // namespace verified::signature
