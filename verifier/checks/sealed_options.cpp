#include "verifier/checks/sealed_options.h"

#include <algorithm>
#include <set>

#include "verifier/seccomp/profile_check.h"

namespace verified {
namespace {

Error Bad(const std::string& key, const std::string& what) {
  return MakeError(ErrorKind::kInvalidArgument, "option '{}' {}", key, what);
}

Result<std::vector<std::string>> Strings(const nlohmann::json& v, const std::string& key) {
  if (!v.is_array()) return Bad(key, "must be a list of strings");
  std::vector<std::string> out;
  for (const auto& s : v) {
    if (!s.is_string() || s.get<std::string>().empty())
      return Bad(key, "must be a list of strings");
    out.push_back(s.get<std::string>());
  }
  return out;
}

Result<bool> Bool(const nlohmann::json& v, const std::string& key) {
  if (!v.is_boolean()) return Bad(key, "must be true or false");
  return v.get<bool>();
}

Result<std::vector<std::string>> AbsolutePaths(const nlohmann::json& v, const std::string& key) {
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> paths, Strings(v, key));
  for (auto& p : paths) {
    if (p.front() != '/' || p.find("/../") != std::string::npos ||
        (p.size() >= 3 && p.compare(p.size() - 3, 3, "/..") == 0)) {
      return Bad(key, "entries must be absolute paths without '..', got '" + p + "'");
    }
    while (p.size() > 1 && p.back() == '/') p.pop_back();
  }
  return paths;
}

Status ApplyKey(SealedOptions& o, const std::string& key, const nlohmann::json& v) {
  if (key == "allow_args") {
    VERIFIED_ASSIGN_OR_RETURN(o.allow_args, Bool(v, key));
  } else if (key == "allow_env") {
    if (v.is_boolean()) {
      o.allow_any_env = v.get<bool>();
    } else {
      VERIFIED_ASSIGN_OR_RETURN(o.allow_env, Strings(v, key));
    }
  } else if (key == "allow_mounts") {
    VERIFIED_ASSIGN_OR_RETURN(o.allow_mounts, AbsolutePaths(v, key));
  } else if (key == "allow_volumes") {
    VERIFIED_ASSIGN_OR_RETURN(o.allow_volumes, Bool(v, key));
  } else if (key == "allow_capabilities") {
    VERIFIED_ASSIGN_OR_RETURN(o.allow_capabilities, Strings(v, key));
    const auto& known = KnownCapabilities();
    for (auto& c : o.allow_capabilities) {
      std::transform(c.begin(), c.end(), c.begin(), ::toupper);
      if (c.rfind("CAP_", 0) != 0) c = "CAP_" + c;
      if (std::find(known.begin(), known.end(), c) == known.end()) {
        return Bad(key, "names an unknown capability '" + c + "'");
      }
    }
  } else if (key == "forbidden_syscalls") {
    VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> extra, Strings(v, key));
    for (const auto& s : extra) {
      if (!IsKnownSyscall(s)) return Bad(key, "names '" + s + "', which libseccomp does not know");
      if (std::find(o.forbidden_syscalls.begin(), o.forbidden_syscalls.end(), s) ==
          o.forbidden_syscalls.end()) {
        o.forbidden_syscalls.push_back(s);
      }
    }
  } else if (key == "protect") {
    VERIFIED_ASSIGN_OR_RETURN(o.protect, AbsolutePaths(v, key));
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "unknown option '{}' (allowed: allow_args, allow_capabilities, allow_env, "
                     "allow_mounts, allow_volumes, forbidden_syscalls, protect)",
                     key);
  }
  return Ok();
}

}  // namespace

const std::vector<std::string>& DefaultForbiddenSyscalls() {
  static const std::vector<std::string> kDefault = {"ptrace", "process_vm_readv",
                                                    "process_vm_writev"};
  return kDefault;
}

const std::vector<std::string>& EngineDefaultCapabilities() {
  static const std::vector<std::string> kCaps = {
      "CAP_CHOWN",   "CAP_DAC_OVERRIDE", "CAP_FSETID",           "CAP_FOWNER",
      "CAP_MKNOD",   "CAP_NET_RAW",      "CAP_SETGID",           "CAP_SETUID",
      "CAP_SETFCAP", "CAP_SETPCAP",      "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT",
      "CAP_KILL",    "CAP_AUDIT_WRITE"};
  return kCaps;
}

const std::vector<std::string>& KnownCapabilities() {
  // include/uapi/linux/capability.h, in number order.
  static const std::vector<std::string> kCaps = {"CAP_CHOWN",
                                                 "CAP_DAC_OVERRIDE",
                                                 "CAP_DAC_READ_SEARCH",
                                                 "CAP_FOWNER",
                                                 "CAP_FSETID",
                                                 "CAP_KILL",
                                                 "CAP_SETGID",
                                                 "CAP_SETUID",
                                                 "CAP_SETPCAP",
                                                 "CAP_LINUX_IMMUTABLE",
                                                 "CAP_NET_BIND_SERVICE",
                                                 "CAP_NET_BROADCAST",
                                                 "CAP_NET_ADMIN",
                                                 "CAP_NET_RAW",
                                                 "CAP_IPC_LOCK",
                                                 "CAP_IPC_OWNER",
                                                 "CAP_SYS_MODULE",
                                                 "CAP_SYS_RAWIO",
                                                 "CAP_SYS_CHROOT",
                                                 "CAP_SYS_PTRACE",
                                                 "CAP_SYS_PACCT",
                                                 "CAP_SYS_ADMIN",
                                                 "CAP_SYS_BOOT",
                                                 "CAP_SYS_NICE",
                                                 "CAP_SYS_RESOURCE",
                                                 "CAP_SYS_TIME",
                                                 "CAP_SYS_TTY_CONFIG",
                                                 "CAP_MKNOD",
                                                 "CAP_LEASE",
                                                 "CAP_AUDIT_WRITE",
                                                 "CAP_AUDIT_CONTROL",
                                                 "CAP_SETFCAP",
                                                 "CAP_MAC_OVERRIDE",
                                                 "CAP_MAC_ADMIN",
                                                 "CAP_SYSLOG",
                                                 "CAP_WAKE_ALARM",
                                                 "CAP_BLOCK_SUSPEND",
                                                 "CAP_AUDIT_READ",
                                                 "CAP_PERFMON",
                                                 "CAP_BPF",
                                                 "CAP_CHECKPOINT_RESTORE"};
  return kCaps;
}

Result<SealedOptions> ParseSealedOptions(const nlohmann::json& value) {
  SealedOptions o;
  o.forbidden_syscalls = DefaultForbiddenSyscalls();
  o.value = value;
  if (value.is_boolean()) return o;
  if (!value.is_object()) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be true, false, or an object of options such as "
                     "{{\"allow_args\": false, \"allow_mounts\": [\"/srv/config\"]}}");
  }
  for (const auto& [k, v] : value.items()) VERIFIED_RETURN_IF_ERROR(ApplyKey(o, k, v));
  return o;
}

}  // namespace verified
