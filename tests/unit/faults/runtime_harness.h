// Runs verified-runtime's main path (shim/runtime.h RunRuntime) in a forked child, on a Docker
// overlay2 tree whose container rootfs the child really mounts (overlay, in a private mount
// namespace that ends with it), so the decision the runtime takes is the one a host would take.
// The child is this test binary forked, never re-exec'd. The runc it is given is a script that
// writes a canary file: the canary is the proof that a container went ahead.
#pragma once

#include <string>
#include <vector>

#include "unit/support/fake_docker_tree.h"
#include "unit/support/temp_dir.h"

namespace verified::testing {

/// What one runtime run did.
struct RuntimeRun {
  int status = -1;        ///< exit status (128 + signal when killed)
  bool ran_runc = false;  ///< the fake runc wrote its canary
  std::string message;    ///< the refusal as logged to --log (its "msg"), else stderr
};

/// A fault the child makes on one directory before the runtime runs (in its own mounts).
struct DirFault {
  enum Kind { kNone, kFullTmpfs, kReadOnly } kind = kNone;
  std::string dir;
  long tmpfs_bytes = 64 * 1024;  ///< kFullTmpfs: its size (then filled to the last block)
};

/// A host for the runtime: config dir, runtime.json, a fake runc, a tree allowed by policy.
class RuntimeHost {
 public:
  RuntimeHost();

  /// Writes runtime.json naming `runc` and `decision_log`.
  void Settings(const std::string& runc, const std::string& decision_log);

  /// Runs `verified-runtime --config-dir ... create --bundle B ID` with `id` ("" = the
  /// container's), as Run does.
  RuntimeRun Create(const std::string& id = "", const DirFault& fault = {});

  /// Runs the runtime with its own options, `--root <tmp>/runc-root --log ... --log-format
  /// json`, then `runc_args`, after making `fault`.
  RuntimeRun Run(const std::vector<std::string>& runc_args, const DirFault& fault = {});

  TempDir tmp;
  FakeDockerTree tree;
  FakeImage image;
  FakeContainer container;
  std::string config_dir, fake_runc, canary, log;
};

}  // namespace verified::testing
