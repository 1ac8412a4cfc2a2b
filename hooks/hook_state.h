// The container state an OCI runtime writes to a hook's stdin (runtime-spec runtime.md
// "State", config.md "POSIX-platform Hooks"): ociVersion, id, status, pid, bundle, annotations.
//
// The state comes from the runtime that runs the hook (runc, crun), but its annotations come
// from whoever created the container: the decision never reads them from here, it reads the
// bundle's config.json and proves the image from the engine's storage and the mount table.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "verifier/core/result.h"

namespace verified::hook {

/// Largest state document accepted on stdin (the runtime writes a few hundred bytes; a large
/// annotation map is the only thing that grows it).
inline constexpr size_t kMaxHookStateBytes = 1u << 20;

/// JSON nesting accepted in the state (the document is two levels deep).
inline constexpr size_t kMaxHookStateDepth = 8;

/// The fields of the state a hook receives.
struct HookState {
  std::string oci_version;
  std::string id;      ///< container id, non-empty, no '/' and no NUL
  std::string status;  ///< "creating" at createRuntime, "created" at prestart (runc)
  int64_t pid = 0;     ///< 0 when absent
  std::string bundle;  ///< absolute path of the bundle directory
  std::map<std::string, std::string> annotations;
};

/// Parses the state strictly: one JSON object; ociVersion, id, status and bundle present as
/// strings, id a valid container id, bundle absolute without ".." components; pid (when
/// present) a non-negative integer; annotations (when present) an object of strings. Keys that
/// Go's decoder would confuse (duplicates, case variants) and NULs are refused, as are
/// documents over kMaxHookStateBytes or nested past kMaxHookStateDepth. Unknown keys are
/// ignored: a later runtime-spec version may add fields. Every failure is kParse, kTooLarge or
/// kInvalidArgument naming the field.
Result<HookState> ParseHookState(std::string_view text);

}  // namespace verified::hook
