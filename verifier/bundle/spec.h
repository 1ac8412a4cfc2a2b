// The OCI bundle's config.json, read as untrusted input.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "verifier/core/result.h"

namespace verified {

/// Largest config.json we read. Kubernetes specs with many env vars and mounts stay far below.
inline constexpr size_t kMaxSpecBytes = 8u << 20;

/// The parts of an OCI runtime spec the verifier uses; `raw` keeps the whole document for
/// checks that look at the process, mounts, namespaces or seccomp.
struct Spec {
  std::string root_path;       ///< root.path as written (absolute, or relative to the bundle)
  bool root_readonly = false;  ///< root.readonly
  std::map<std::string, std::string> annotations;
  nlohmann::json raw;

  /// Annotation value or "" when absent.
  std::string Annotation(const std::string& key) const;
};

/// Parses config.json text: the one loader of runtime specs, so what is checked is what runc
/// runs. Fails with kParse when any object has two keys that runc's Go decoder would take as
/// one (equal, or equal under Go's case folding: see CheckGoJsonKeys), when a key or string
/// contains NUL, when a key is a spelling of an OCI field other than its own ("Mounts": see
/// CheckSpecKeySpelling), when it is not an object, lacks root.path, or has annotations that are
/// not strings (the OCI spec requires string values).
Result<Spec> ParseSpec(std::string_view text);

/// Reads and parses `<bundle>/config.json` (size-limited, no symlink at the last component).
Result<Spec> LoadSpec(const std::string& bundle_dir);

/// The absolute host path of the container's root: root.path, joined to `bundle_dir` when
/// relative, with symlinks resolved (realpath). Fails with kNotFound when it does not exist.
Result<std::string> ResolveRootPath(const std::string& bundle_dir, const Spec& spec);

}  // namespace verified
