// Fuzz target: containers/storage's containers.json as the Podman enumerator reads it
// (ctl/engines/podman_containers.h).
#include <cstdint>
#include <string_view>

#include "ctl/engines/podman_containers.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)verified::ctl::ParseStorageContainers(text);
  (void)verified::ctl::RuntimeFromConmonCmdline(text);
  return 0;
}
