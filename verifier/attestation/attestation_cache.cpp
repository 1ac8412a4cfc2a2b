#include "verifier/attestation/attestation_cache.h"

#include <algorithm>

#include "verifier/crypto/sha256.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/trusted_file.h"
#include "verifier/image/digest.h"

namespace verified::attestation {
namespace {

constexpr std::string_view kHeader = "verified attestation verifications v1\n";
// Bumped with anything that changes what an entry means (a parser reading more or less of a
// predicate): entries of an older binary then miss instead of answering for it.
constexpr std::string_view kNameVersion = "attestation-cache/1";
constexpr size_t kNameBytes = 64;
constexpr size_t kMaxFileBytes =
    kHeader.size() + kMaxAttestationCacheEntries * (kNameBytes + 2 + kMaxCachedAttestationBytes);

bool Contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

std::string AttestationCacheName(const AttestationCacheKey& key) {
  std::vector<std::string> fps = key.key_fingerprints;
  std::sort(fps.begin(), fps.end());
  Sha256 h;
  h.UpdateLengthPrefixed(kNameVersion);
  h.UpdateLengthPrefixed(key.attestation_id);
  h.UpdateLengthPrefixed(key.digest);
  h.UpdateLengthPrefixed(std::to_string(fps.size()));
  for (const auto& f : fps) h.UpdateLengthPrefixed(f);
  h.UpdateLengthPrefixed(key.policy_digest);
  return h.FinalHex();
}

std::optional<AttestationCache> AttestationCache::Parse(std::string_view text) {
  if (text.size() > kMaxFileBytes || text.substr(0, kHeader.size()) != kHeader) {
    return std::nullopt;
  }
  text.remove_prefix(kHeader.size());
  AttestationCache c;
  while (!text.empty()) {
    size_t end = text.find('\n');
    // A last line without its newline is a file cut short: not what Save wrote.
    if (end == std::string_view::npos || end < kNameBytes + 2 ||
        end > kNameBytes + 1 + kMaxCachedAttestationBytes) {
      return std::nullopt;
    }
    std::string_view name = text.substr(0, kNameBytes);
    if (!IsHex64(name) || text[kNameBytes] != ' ' ||
        c.entries_.size() == kMaxAttestationCacheEntries) {
      return std::nullopt;
    }
    c.entries_.emplace_back(std::string(name),
                            std::string(text.substr(kNameBytes + 1, end - kNameBytes - 1)));
    text.remove_prefix(end + 1);
  }
  return c;
}

AttestationCache AttestationCache::Load(const std::string& dir) {
  AttestationCache c;
  std::string path = dir + "/" + kAttestationCacheFile;
  auto text = ReadTrustedFile(path, kMaxFileBytes);
  if (!text.ok()) {
    if (text.error().kind() != ErrorKind::kNotFound) c.ignored_ = text.error().What();
    return c;
  }
  auto parsed = Parse(*text);
  if (!parsed) {
    c.ignored_ = path + " is malformed";
    return c;
  }
  return std::move(*parsed);
}

std::optional<VerifiedAttestation> AttestationCache::Find(
    const AttestationCacheKey& key, const signedpolicy::FileStamp& file) const {
  std::string name = AttestationCacheName(key);
  for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
    if (it->first != name) continue;
    auto entry = ParseCachedAttestation(it->second);
    if (!entry.ok() || !(entry->file == file) ||
        !Contains(key.key_fingerprints, entry->attestation.key_fingerprint)) {
      return std::nullopt;
    }
    return std::move(entry->attestation);
  }
  return std::nullopt;
}

Status AttestationCache::Add(const AttestationCacheKey& key, const signedpolicy::FileStamp& file,
                             const VerifiedAttestation& attestation) {
  if (!Contains(key.key_fingerprints, attestation.key_fingerprint) ||
      !IsHex64(attestation.key_fingerprint)) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "fingerprint {} is not one of the key set being cached",
                     attestation.key_fingerprint);
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string text,
                            EncodeCachedAttestation(CachedAttestation{file, attestation}));
  std::string name = AttestationCacheName(key);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const auto& e) { return e.first == name; }),
                 entries_.end());
  entries_.emplace_back(std::move(name), std::move(text));
  if (entries_.size() > kMaxAttestationCacheEntries) {
    entries_.erase(entries_.begin(),
                   entries_.begin() + (entries_.size() - kMaxAttestationCacheEntries));
  }
  return Ok();
}

Status AttestationCache::Save(const std::string& dir) const {
  std::string text(kHeader);
  for (const auto& [name, entry] : entries_) {
    text += name;
    text += ' ';
    text += entry;
    text += '\n';
  }
  return WriteFileAtomic(dir + "/" + kAttestationCacheFile, text, 0600);
}

}  // namespace verified::attestation
