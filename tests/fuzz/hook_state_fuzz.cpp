// Fuzz target: the OCI state a hook reads from stdin (hooks/hook_state.h).
#include <cstdint>
#include <string_view>

#include "hooks/hook_state.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto s = verified::hook::ParseHookState(text);
  // Invariants of an accepted state: the decision gets an absolute bundle and a usable id.
  if (s.ok() && (s->bundle.empty() || s->bundle.front() != '/' || s->id.empty() ||
                 s->id.find('/') != std::string::npos || s->pid < 0)) {
    __builtin_trap();
  }
  return 0;
}
