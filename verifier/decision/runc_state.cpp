#include "verifier/decision/runc_state.h"

#include <unistd.h>

#include <algorithm>

#include "verifier/core/env.h"

namespace verified {

std::string RuncStateRoot(const std::string& root_flag) {
  if (!root_flag.empty()) return root_flag;
  std::string xdg = EnvOr("XDG_RUNTIME_DIR");
  if (geteuid() != 0 && !xdg.empty()) return xdg + "/runc";
  return "/run/runc";
}

bool IsValidContainerId(const std::string& id) {
  // runc libcontainer/factory_linux.go validateID: ^[\w+\-\.]+$ and not "." or "..".
  if (id.empty() || id == "." || id == ".." || id.size() > 1024) return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '+' || c == '-' || c == '.';
  });
}

}  // namespace verified
