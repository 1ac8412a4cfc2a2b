// Fuzz target: containers/storage signature big-data (verifier/signature/engine_signatures.h).
// Input: the image record's metadata JSON, a newline, then the signatures item's bytes.
#include <cstdint>
#include <string>

#include "verifier/crypto/sha256.h"
#include "verifier/signature/engine_signatures.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace verified::signature;
  std::string in(reinterpret_cast<const char*>(data), size);
  size_t nl = in.find('\n');
  std::string metadata = in.substr(0, nl);
  std::string blob = nl == std::string::npos ? std::string() : in.substr(nl + 1);
  // The seeds name this digest (sha256 of "m").
  const std::string digest = verified::Sha256Digest("m");
  auto items = EngineSignatureItems(metadata, digest, digest);
  if (!items.ok()) return 0;
  if (items->size() > 2) __builtin_trap();
  for (const auto& item : *items) {
    if (item.sizes.empty() || item.sizes.size() > kMaxEngineSignatures) __builtin_trap();
    auto recs = SplitEngineSignatures(blob, item, digest, "fuzz");
    if (!recs.ok()) continue;
    size_t total = 0;
    for (size_t n : item.sizes) total += n;
    // Accepted only when the sizes account for every byte, each record within its slice.
    if (total != blob.size() || recs->size() > item.sizes.size()) __builtin_trap();
    for (const auto& r : *recs) {
      if (r.digest != digest || r.signature_base64.empty() || r.payload.size() > blob.size())
        __builtin_trap();
    }
  }
  return 0;
}
