// containerd's running tasks, from its state dir on disk (no API needed, works for Kubernetes
// CRI, `ctr run` and Docker's own "moby" namespace alike):
//
//   <state>/io.containerd.runtime.v2.task/<namespace>/<id>/
//       config.json       the OCI spec the runtime got (root.path usually "rootfs")
//       init.pid          the container's init process
//       options.json      {"binary_name": "<runtime>", ...}; `runtime` holds the same path
//
// A task dir exists from create to delete; it is "running" when its init process is alive
// and supervised from this bundle (the shim's working directory), which also rules out a
// stale dir whose PID was reused.
#pragma once

#include <string>
#include <vector>

#include "ctl/container_enumerator.h"
#include "verifier/fs/dir.h"

namespace verified::ctl {

/// Default containerd state dirs: the system one and dockerd's managed one.
std::vector<std::string> DefaultContainerdStateDirs();

/// The containerd enumerator over one or more state dirs.
class ContainerdContainers : public ContainerEnumerator {
 public:
  explicit ContainerdContainers(std::vector<std::string> state_dirs);

  std::string Engine() const override { return "containerd"; }
  std::string Where() const override;
  /// Not present when no state dir has an io.containerd.runtime.v2.task dir. Every task is
  /// listed (a task only exists while its container does); `include_stopped` adds those
  /// whose init process is gone.
  Result<std::optional<std::vector<FoundContainer>>> List(bool include_stopped) const override;

 private:
  std::vector<std::string> state_dirs_;
};

/// Reads one task dir `<task_root>/<ns>/<id>`. Exposed for tests.
Result<FoundContainer> ReadContainerdTask(const Dir& task_root, const std::string& ns,
                                          const std::string& id);

}  // namespace verified::ctl
