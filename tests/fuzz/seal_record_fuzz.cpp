// Fuzz target: seal records read back at exec time (verifier/seal/seal_record.h).
#include <cstdint>
#include <string_view>

#include "verifier/seal/seal_record.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto r = verified::ParseSealRecord(std::string_view(reinterpret_cast<const char*>(data), size));
  if (r.ok()) (void)verified::FormatSealRecord(*r);
  return 0;
}
