#include "verifier/store/engine_files.h"

#include <climits>
#include <cstdlib>

namespace verified {

void AddEnginePath(std::vector<std::string>& dirs, const std::string& path) {
  char buf[PATH_MAX];
  dirs.push_back(realpath(path.c_str(), buf) != nullptr ? std::string(buf) : path);
}

}  // namespace verified
