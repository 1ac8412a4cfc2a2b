// Helpers for the containerd store tests: gzip fixtures (temp dirs and files come from
// unit/support/temp_dir.h).
#pragma once

#include <fcntl.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "unit/support/temp_dir.h"

namespace verified::testing {

inline std::string Gunzip(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  std::string out;
  if (f == nullptr) return out;
  char buf[65536];
  int n;
  while ((n = gzread(f, buf, sizeof(buf))) > 0) out.append(buf, static_cast<size_t>(n));
  gzclose(f);
  return out;
}

/// Directory of the checked-in containerd fixtures, or $VERIFIED_CONTAINERD_FIXTURES (the e2e
/// test points it at fixtures it just regenerated with the installed containerd).
inline std::string FixtureDir() {
  if (const char* env = getenv("VERIFIED_CONTAINERD_FIXTURES"); env && *env) return env;
  // A compile definition, not __FILE__: ccache's CCACHE_BASEDIR makes __FILE__ relative.
  return std::string(VERIFIED_SOURCE_DIR) + "/tests/fixtures/containerd";
}

}  // namespace verified::testing
