// Fuzz target: the sandboxed verifier's answer as the parent parses it (shim/decision_wire.h).
#include <cstdint>
#include <string_view>

#include "shim/decision_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto a = verified::shim::ParseDecisionAnswer(text);
  if (!a.ok()) return 0;
  // An accepted answer re-serialises to one that parses to the same verdict and writes.
  auto again = verified::shim::ParseDecisionAnswer(
      verified::shim::SerializeDecisionAnswer(a->decision, a->writes));
  if (!again.ok() || again->decision.verdict.decision != a->decision.verdict.decision ||
      again->decision.verdict.mode != a->decision.verdict.mode ||
      again->writes.size() != a->writes.size() ||
      again->decision.seal.has_value() != a->decision.seal.has_value()) {
    __builtin_trap();
  }
  for (size_t i = 0; i < a->writes.size(); ++i) {
    if (again->writes[i].path != a->writes[i].path ||
        again->writes[i].content != a->writes[i].content) {
      __builtin_trap();
    }
  }
  return 0;
}
