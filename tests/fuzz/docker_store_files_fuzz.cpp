// Fuzz target: Docker store files and our own config files read by the runtime:
// repositories.json, image configs, registration records, runtime.json.
#include <cstdint>
#include <string_view>

#include "verifier/config/config_dir.h"
#include "verifier/core/json.h"
#include "verifier/image/image_config.h"
#include "verifier/registry/registration.h"
#include "verifier/store/docker/repositories.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)verified::docker::ParseRepositories(text);
  (void)verified::ParseImageConfig(text, "fuzz");
  (void)verified::ParseRuntimeSettings(text);
  auto j = verified::ParseJson(text, "fuzz");
  if (j.ok()) (void)verified::RegistrationFromJson(*j);
  return 0;
}
