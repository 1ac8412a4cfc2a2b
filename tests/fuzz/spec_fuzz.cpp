// Fuzz target: OCI config.json parsing (verifier/bundle/spec.h).
#include <cstdint>
#include <string_view>

#include "verifier/bundle/spec.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto s = verified::ParseSpec(std::string_view(reinterpret_cast<const char*>(data), size));
  if (s.ok()) (void)s->Annotation("io.kubernetes.cri.image-name");
  return 0;
}
