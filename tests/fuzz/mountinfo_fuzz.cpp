// Fuzz target: /proc/self/mountinfo and overlay option parsing (verifier/bundle/mountinfo.h).
#include <cstdint>
#include <string_view>

#include "verifier/bundle/mountinfo.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = verified::ParseMountinfo(std::string_view(reinterpret_cast<const char*>(data), size));
  if (m.ok()) {
    for (const auto& e : *m) (void)verified::ParseOverlay(e);
  }
  return 0;
}
