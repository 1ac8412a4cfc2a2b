#include "verifier/core/env.h"

#include <cstdlib>

namespace verified {

std::string EnvOr(const char* name, std::string fallback) {
  const char* v = getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return v;
}

}  // namespace verified
