// Fuzz target: policy.json parsing (verifier/policy/policy.h).
#include <cstdint>
#include <string_view>

#include "verifier/policy/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto p = verified::ParsePolicy(text);
  if (p.ok()) {
    for (const auto& r : p->rules) (void)r.Describe();
  }
  return 0;
}
