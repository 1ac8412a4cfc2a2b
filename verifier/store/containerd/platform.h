// OCI platforms: which manifest of an image index this host runs (containerd's
// platforms.Default() matcher, reduced to what decides identity here).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace verified::containerd {

/// An OCI platform.
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
};

/// The platform this binary runs on ("linux"/"amd64", "linux"/"arm64"/"v8", ...).
Platform HostPlatform();

/// True when a descriptor's or config's platform fields (os, architecture, variant) describe
/// something `host` runs: same os and architecture; for arm64 a variant of "" or "v8"; for
/// arm the host's variant or an older one; amd64 variants are accepted as amd64.
bool PlatformMatches(const nlohmann::json& platform, const Platform& host);

}  // namespace verified::containerd
