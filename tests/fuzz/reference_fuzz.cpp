// Fuzz target: image references and policy patterns (verifier/image/reference.h,
// verifier/image/pattern.h). Input: "pattern\nreference".
#include <cstdint>
#include <string>

#include "verifier/image/pattern.h"
#include "verifier/image/reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string in(reinterpret_cast<const char*>(data), size);
  auto nl = in.find('\n');
  std::string pat = in.substr(0, nl), ref_text = nl == std::string::npos ? in : in.substr(nl + 1);
  auto ref = verified::ParseReference(ref_text);
  if (ref.ok()) {
    // Normalisation is idempotent, and the host is in its canonical spelling.
    auto again = verified::ParseReference(ref->String());
    if (!again.ok() || !(*again == *ref)) __builtin_trap();
    if (verified::NormaliseDomain(ref->domain) != ref->domain) __builtin_trap();
    // A glob written as the name, in full or familiar form, matches it.
    for (const std::string& as_glob : {ref->String(), ref->Familiar()}) {
      auto self = verified::ImagePattern::Glob(as_glob);
      if (self.ok() && !self->Matches(*ref)) __builtin_trap();
    }
  }
  auto g = verified::ImagePattern::Glob(pat);
  if (g.ok()) {
    // A glob's normalised form is a fixed point: lint and `policy remove` compare keys.
    auto again = verified::ImagePattern::Glob(g->key());
    if (!again.ok() || again->key() != g->key()) __builtin_trap();
    if (ref.ok()) (void)g->Matches(*ref);
  }
  return 0;
}
