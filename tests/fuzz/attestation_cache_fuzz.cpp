// Fuzz target: the attestation cache file (verifier/attestation/attestation_cache.h) and its
// entries (cached_attestation.h), read back from the state dir at every create. Input: a cache
// file, or one entry's JSON. An entry that parses must encode to text that parses to the same
// entry, and keep the limits the parsers of the attestations themselves keep.
#include <cstdint>
#include <string>

#include "verifier/attestation/attestation_cache.h"

namespace {

using namespace verified::attestation;

void CheckEntry(std::string_view text) {
  auto entry = ParseCachedAttestation(text);
  if (!entry.ok()) return;
  const auto& a = entry->attestation;
  if (a.statement.subject_digests.empty() ||
      a.statement.subject_digests.size() != a.statement.subject_names.size() ||
      a.predicate.kind != KindOf(a.predicate.type) || !a.key_name.empty()) {
    __builtin_trap();
  }
  for (const auto& ids : a.predicate.vuln.ids) {
    if (ids.size() > kMaxIdsKept) __builtin_trap();
  }
  (void)DescribePredicate(a.predicate);
  auto again = EncodeCachedAttestation(*entry);
  if (!again.ok()) return;  // a longer canonical form may exceed the limit
  auto back = ParseCachedAttestation(*again);
  if (!back.ok() || !(back->file == entry->file)) __builtin_trap();
  auto third = EncodeCachedAttestation(*back);
  if (!third.ok() || *third != *again) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  CheckEntry(in);
  auto cache = AttestationCache::Parse(in);
  if (!cache) return 0;
  if (cache->size() > kMaxAttestationCacheEntries) __builtin_trap();
  // Each line's entry, as Find parses it.
  size_t at = in.find('\n') + 1;
  while (at < in.size()) {
    size_t end = in.find('\n', at);
    if (end == std::string::npos || end - at < 65) __builtin_trap();  // Parse accepted it
    CheckEntry(std::string_view(in).substr(at + 65, end - at - 65));
    at = end + 1;
  }
  return 0;
}
