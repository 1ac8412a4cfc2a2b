// Fuzz target: signed manifests and indexes (verifier/signature/signed_manifest.h), the
// documents a signature's digest is proven through. Input: the manifest bytes.
#include <cstdint>
#include <string_view>

#include "verifier/image/digest.h"
#include "verifier/signature/signed_manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = verified::signature::ParseSignedManifest(in);
  if (!m.ok()) return 0;
  // Exactly one of the two shapes, and every digest a proper sha256 digest.
  if (m->is_index != m->config_digest.empty()) __builtin_trap();
  if (!m->is_index && (!m->manifests.empty() || !verified::IsSha256Digest(m->config_digest))) {
    __builtin_trap();
  }
  if (m->manifests.size() > verified::signature::kMaxIndexManifests) __builtin_trap();
  for (const auto& d : m->manifests) {
    if (!verified::IsSha256Digest(d)) __builtin_trap();
  }
  return 0;
}
