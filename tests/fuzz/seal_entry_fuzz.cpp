// Fuzz target: entries of the host-wide seal index read at namespace joins
// (verifier/seal/seal_index.h).
#include <cstdint>
#include <string_view>

#include "verifier/seal/seal_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto e = verified::ParseSealEntry(std::string_view(reinterpret_cast<const char*>(data), size));
  if (e.ok()) (void)verified::FormatSealEntry(*e);
  return 0;
}
