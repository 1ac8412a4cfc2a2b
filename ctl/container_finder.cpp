#include "ctl/container_finder.h"

#include <set>

#include "ctl/engines/containerd_containers.h"
#include "ctl/engines/docker_containers.h"
#include "ctl/engines/podman_containers.h"

namespace verified::ctl {

std::vector<std::unique_ptr<ContainerEnumerator>> MakeEnumerators(const EngineSelection& sel) {
  std::set<std::string> want(sel.engines.begin(), sel.engines.end());
  bool all = want.empty() || want.count("all");
  std::vector<std::unique_ptr<ContainerEnumerator>> out;
  if (all || want.count("docker")) {
    out.push_back(std::make_unique<DockerContainers>(sel.docker_host, sel.workers));
  }
  if (all || want.count("containerd")) {
    auto dirs = sel.containerd_state.empty() ? DefaultContainerdStateDirs() : sel.containerd_state;
    out.push_back(std::make_unique<ContainerdContainers>(dirs));
  }
  if (all || want.count("podman")) {
    out.push_back(std::make_unique<PodmanContainers>(sel.podman_root, sel.podman_runroot));
  }
  return out;
}

Result<FoundContainer> FindContainer(
    const std::vector<std::unique_ptr<ContainerEnumerator>>& enumerators,
    const std::string& target) {
  if (target.empty()) return MakeError(ErrorKind::kInvalidArgument, "no container named");
  std::vector<FoundContainer> by_prefix;
  std::set<std::string> seen;
  std::vector<std::string> looked, broken;
  for (const auto& e : enumerators) {
    auto found = e->List(true);
    if (!found.ok()) {
      broken.push_back(e->Engine() + " at " + e->Where() + ": " + found.error().What());
      continue;
    }
    if (!found->has_value()) continue;
    looked.push_back(e->Engine() + " at " + e->Where());
    for (auto& c : **found) {
      // Docker's containers are containerd tasks too ("moby"): the first engine keeps them.
      if (!seen.insert(c.id).second) continue;
      if (c.id == target || c.name == target) return std::move(c);
      if (c.id.rfind(target, 0) == 0) by_prefix.push_back(std::move(c));
    }
  }
  if (by_prefix.size() == 1) return std::move(by_prefix.front());
  if (by_prefix.size() > 1) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}' matches {} containers ({}, {}...)", target,
                     by_prefix.size(), by_prefix[0].id, by_prefix[1].id);
  }
  std::string where = looked.empty() ? std::string("no engine is present") : "";
  for (const auto& l : looked) where += (where.empty() ? "" : ", ") + l;
  std::string errors;
  for (const auto& b : broken) errors += "; cannot read " + b;
  return MakeError(ErrorKind::kNotFound, "no container '{}' (looked in {}){}", target, where,
                   errors);
}

}  // namespace verified::ctl
