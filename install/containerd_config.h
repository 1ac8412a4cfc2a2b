// Registering verified in containerd's config.toml for the CRI plugin (Kubernetes
// RuntimeClass handler "verified"): merged line by line, never clobbered, reversible.
//
// No TOML library is available, so this is a deliberately small merge for exactly these
// tables, appended as one marked block:
//   # BEGIN verified runtime (verifiedctl install containerd)
//   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.verified]          (version 2)
//     runtime_type = "io.containerd.runc.v2"
//   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.verified.options]
//     BinaryName = "/usr/local/bin/verified-runtime"
//     SystemdCgroup = true                     (copied from the runc runtime when it sets it)
//   # END verified runtime
// Version 3 (containerd 2.x) uses plugins."io.containerd.cri.v1.runtime", version 1 (or no
// version key) plugins.cri. A file that names no runtime at all relies on the CRI plugin's
// built-in "runc", which a runtimes table in the file replaces: the block then also writes
//   [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
//     runtime_type = "io.containerd.runc.v2"
// so the plugin still finds its default runtime (Debian's stock config.toml is such a file).
// Anything that already defines the runtime outside the block, or defines the parent tables inline
// (which a header cannot extend), is refused with the line.
#pragma once

#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::install {

/// What `verifiedctl install containerd` writes.
struct ContainerdRuntimeEntry {
  std::string name = "verified";
  std::string runtime_path = "/usr/local/bin/verified-runtime";
};

/// The config's schema version: the top-level `version = N` (1 when absent, as containerd
/// reads it). kUnsupported for versions other than 1, 2, 3; kParse for a malformed value.
Result<int> ContainerdConfigVersion(std::string_view toml);

/// The dotted name of the CRI runtimes table for a config version, in canonical form
/// (double-quoted keys): plugins."io.containerd.grpc.v1.cri".containerd.runtimes for 2.
std::string RuntimesTable(int version);

/// Canonical form of a table header's key path: whitespace around dots removed, quoted keys
/// double-quoted, bare keys that need no quotes left bare ("a . 'b.c'" -> a."b.c").
/// kParse for an unterminated quote.
Result<std::string> CanonicalKeyPath(std::string_view path);

/// The CRI plugin's built-in runtime, the one a config that names none relies on.
inline constexpr const char* kBuiltInRuntime = "runc";

/// What a merge wrote.
struct ContainerdMerge {
  std::string text;            ///< the whole new config
  bool added_builtin = false;  ///< the block also defines kBuiltInRuntime (see above)
};

/// Adds (or replaces, when a previous install's block is present) the runtime block. ""
/// means no file yet: the result is a version 2 config holding only the block. Everything
/// outside the block (trailing blank lines, a missing final newline) is kept byte for byte.
/// kInvalidArgument names the line that already defines the runtime or inlines a parent table.
Result<ContainerdMerge> MergeContainerdConfig(std::string_view existing,
                                              const ContainerdRuntimeEntry& entry);

/// Removes the block a merge added (and the blank line it put before it), nothing else: the
/// result is the file as it was before the merge, byte for byte, when nothing else changed.
/// kNotFound when there is none.
Result<std::string> UnmergeContainerdConfig(std::string_view existing, const std::string& name);

}  // namespace verified::install
