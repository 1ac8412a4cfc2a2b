// Typed reads of what requirements look at in an OCI runtime spec (the config.json the runtime
// received) and in an image config.
//
// Both documents are untrusted. A field of the wrong type is an error, and the requirement
// that asked for it fails closed; an absent optional field has its OCI default.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "verifier/bundle/spec.h"
#include "verifier/checks/requirement.h"
#include "verifier/core/result.h"
#include "verifier/store/resolved_image.h"

namespace verified {

/// process.user.uid. kParse when process/user is missing, or uid is not a 32-bit unsigned.
Result<uint32_t> SpecProcessUid(const Spec& spec);

/// process.env ("NAME=value" strings); empty when absent, kParse for a non-string entry.
Result<std::vector<std::string>> SpecEnv(const Spec& spec);

/// process.noNewPrivileges (false when absent); kParse when not a boolean.
Result<bool> SpecNoNewPrivileges(const Spec& spec);

/// Union of every process.capabilities set (bounding, effective, permitted, inheritable,
/// ambient), normalised to "CAP_X" upper case. kParse for a malformed set.
Result<std::set<std::string>> SpecCapabilities(const Spec& spec);

/// One entry of the spec's "mounts".
struct SpecMount {
  std::string destination;
  std::string type;
  std::string source;
  std::vector<std::string> options;

  /// A bind mount: type "bind", or an option "bind"/"rbind" (runc accepts either).
  bool IsBind() const;
  /// Mounted read-only ("ro" or "rro" among the options).
  bool ReadOnly() const;
};

/// The spec's mounts (at most 10000); kParse for a malformed entry.
Result<std::vector<SpecMount>> SpecMounts(const Spec& spec);

/// One entry of linux.devices: a device node created inside the container.
struct SpecDevice {
  std::string path;
  std::string type;  ///< "c", "b", "u", "p"
  int64_t major = 0;
  int64_t minor = 0;
};

/// linux.devices; kParse for a malformed entry.
Result<std::vector<SpecDevice>> SpecDevices(const Spec& spec);

/// True when the last rule of linux.resources.devices that covers every device allows it,
/// which is what `--privileged` writes ({"allow": true, "access": "rwm"}).
Result<bool> SpecAllowsAllDevices(const Spec& spec);

/// One entry of linux.namespaces.
struct SpecNamespace {
  std::string type;
  std::string path;  ///< "" when the runtime creates a new namespace
};

/// linux.namespaces; kParse for a malformed entry.
Result<std::vector<SpecNamespace>> SpecNamespaces(const Spec& spec);

/// The image config's run section ("config": User, Env, Labels, Healthcheck), or an empty
/// object when the image has none.
const nlohmann::json& ImageRunConfig(const ResolvedImage& image);

/// config.Env of the image; kParse for a non-string entry or a non-list.
Result<std::vector<std::string>> ImageEnv(const ResolvedImage& image);

/// The finding of a requirement that needs the container spec when only an image is checked
/// (`verifiedctl check IMAGE`): not evaluated, saying what it would check.
Finding NeedsSpec(const std::string& requirement, const std::string& would_check);

/// "CAP_SYS_ADMIN" for "sys_admin", "SYS_ADMIN" or "CAP_SYS_ADMIN".
std::string NormaliseCapability(std::string_view name);

}  // namespace verified
