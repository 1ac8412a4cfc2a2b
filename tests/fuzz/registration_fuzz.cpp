// Fuzz target: registration records read back at create (verifier/registry/registration.h),
// with their compact image config (verifier/image/runtime_config.h), and the compact copy
// taken of an image config at register time.
#include <cstdint>
#include <string_view>

#include "verifier/core/json.h"
#include "verifier/image/runtime_config.h"
#include "verifier/registry/registration.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto j = verified::ParseJson(text, "fuzz");
  if (!j.ok()) return 0;
  auto r = verified::RegistrationFromJson(*j);
  if (r.ok()) {
    // What was accepted must serialise and parse back to the same record.
    auto again = verified::RegistrationFromJson(verified::RegistrationToJson(*r));
    if (!again.ok() || again->config != r->config || again->chain_ids != r->chain_ids) {
      __builtin_trap();
    }
  }
  auto compact = verified::ExtractRuntimeConfig(*j);
  if (compact.ok()) {
    if (!verified::ParseRuntimeConfig(*compact).ok()) __builtin_trap();
    (void)verified::RuntimeConfigChanges(*compact, r.ok() ? r->config : nlohmann::json());
  }
  return 0;
}
