#include "verifier/store/containerd/platform.h"

#include "verifier/core/json.h"

namespace verified::containerd {

Platform HostPlatform() {
#if defined(__x86_64__)
  return {"linux", "amd64", ""};
#elif defined(__aarch64__)
  return {"linux", "arm64", "v8"};
#elif defined(__arm__) && defined(__ARM_ARCH) && __ARM_ARCH >= 7
  return {"linux", "arm", "v7"};
#elif defined(__arm__)
  return {"linux", "arm", "v6"};
#elif defined(__powerpc64__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
  return {"linux", "ppc64le", ""};
#elif defined(__s390x__)
  return {"linux", "s390x", ""};
#elif defined(__riscv) && __riscv_xlen == 64
  return {"linux", "riscv64", ""};
#elif defined(__i386__)
  return {"linux", "386", ""};
#else
  return {"linux", "unknown", ""};
#endif
}

bool PlatformMatches(const nlohmann::json& platform, const Platform& host) {
  if (!platform.is_object()) return false;
  std::string os = JsonString(platform, {"os"});
  std::string arch = JsonString(platform, {"architecture"});
  std::string variant = JsonString(platform, {"variant"});
  if (os != host.os || arch != host.architecture) return false;
  if (arch == "arm64") return variant.empty() || variant == "v8";
  if (arch == "arm") {
    // containerd's arm matcher runs v5/v6/v7 images on a v7 host, never newer ones.
    if (variant.empty()) return true;
    return variant.size() == 2 && variant[0] == 'v' && variant[1] <= host.variant.back();
  }
  return true;
}

}  // namespace verified::containerd
