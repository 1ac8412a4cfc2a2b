// Fuzz target: /proc/self/mountinfo and overlay option parsing (verifier/bundle/mountinfo.h),
// and the path and id shapes the Docker resolvers derive from them (overlay2, BuildKit).
#include <cstdint>
#include <string_view>

#include "verifier/bundle/mountinfo.h"
#include "verifier/store/docker/buildkit_store.h"
#include "verifier/store/docker/layerdb.h"
#include "verifier/store/docker/overlay2_store.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto m = verified::ParseMountinfo(std::string_view(reinterpret_cast<const char*>(data), size));
  if (m.ok()) {
    for (const auto& e : *m) {
      (void)verified::BuildKitDataRoot(e.mount_point);
      (void)verified::SplitOverlay2Rootfs(e.mount_point);
      auto ov = verified::ParseOverlay(e);
      if (!ov.ok()) continue;
      for (const auto& l : ov->lower) (void)verified::docker::IsGraphId(l);
    }
  }
  return 0;
}
