// Size limits for Docker graphdriver store files (all are untrusted input).
#pragma once

#include <cstddef>

namespace verified::docker {

inline constexpr size_t kMaxIdFileBytes = 256;                 ///< mount-id, cache-id, diff, parent
inline constexpr size_t kMaxContainerConfigBytes = 16u << 20;  ///< config.v2.json
inline constexpr size_t kMaxRepositoriesBytes = 64u << 20;     ///< repositories.json
inline constexpr size_t kMaxDirEntries = 1u << 20;             ///< entries listed in one directory

}  // namespace verified::docker
