#include "verifier/checks/catalog.h"

#include <algorithm>

#include "verifier/checks/base_image.h"
#include "verifier/checks/content.h"
#include "verifier/checks/no_shell.h"
#include "verifier/checks/pod_sandbox.h"
#include "verifier/checks/registered.h"
#include "verifier/checks/sealed.h"

namespace verified {
namespace {

using Factory = Result<RequirementPtr> (*)(const nlohmann::json& value);

struct Entry {
  const char* name;
  Factory make;
};

// One line per requirement. Each factory validates its own value.
const Entry kCatalog[] = {
    {"registered", &MakeRegistered}, {"base", &MakeBaseImage},         {"no_shell", &MakeNoShell},
    {"sealed", &MakeSealed},         {"pod_sandbox", &MakePodSandbox}, {"content", &MakeContent},
};

}  // namespace

Result<RequirementPtr> MakeRequirement(const std::string& name, const nlohmann::json& value) {
  for (const auto& e : kCatalog) {
    if (name == e.name) {
      auto r = e.make(value);
      if (!r.ok()) return Wrap(std::move(r).error(), "requirement '{}'", name);
      return r;
    }
  }
  std::string known;
  for (const auto& n : RequirementNames()) known += (known.empty() ? "" : ", ") + n;
  return MakeError(ErrorKind::kInvalidArgument, "unknown requirement '{}' (known: {})", name,
                   known);
}

std::vector<std::string> RequirementNames() {
  std::vector<std::string> names;
  for (const auto& e : kCatalog) names.emplace_back(e.name);
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace verified
