// Fuzz target: recognising BusyBox/Toybox applet tables in file bytes
// (verifier/content/multicall.h), which reads every executable of an untrusted image.
#include <cstdint>
#include <string_view>

#include "verifier/content/multicall.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto info =
      verified::InspectMultiCall(std::string_view(reinterpret_cast<const char*>(data), size));
  (void)info.ProvidesShell();
  return 0;
}
