// Fuzz target: image references and policy patterns (verifier/image/reference.h,
// verifier/policy/pattern.h). Input: "pattern\nreference".
#include <cstdint>
#include <string>

#include "verifier/image/reference.h"
#include "verifier/policy/pattern.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  std::string pat = in.substr(0, nl), ref_text = nl == std::string::npos ? in : in.substr(nl + 1);
  auto ref = verified::ParseReference(ref_text);
  if (ref.ok()) {
    // Normalisation is idempotent.
    auto again = verified::ParseReference(ref->String());
    if (!again.ok() || !(*again == *ref)) __builtin_trap();
  }
  auto g = verified::ImagePattern::Glob(pat);
  if (g.ok() && ref.ok()) (void)g->Matches(*ref);
  return 0;
}
