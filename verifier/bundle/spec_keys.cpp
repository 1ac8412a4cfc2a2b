#include "verifier/bundle/spec_keys.h"

#include <algorithm>
#include <iterator>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "verifier/core/go_json_keys.h"

namespace verified {
namespace {

// Every JSON tag of opencontainers/runtime-spec specs-go/config.go (v1.2.0) in the Linux and
// common parts: Spec, Process, Box, User, LinuxCapabilities, POSIXRlimit, Scheduler,
// IOPriority, CPUAffinity, Root, Mount, Hooks, Hook, Linux and all its Linux* types. Runc 1.1.5
// knows a subset; a superset only refuses more spellings. Struct fields are matched by Go
// (decode.go object(): exact name first, then the fold) wherever the struct sits, so the
// table need not say which struct a name belongs to.
constexpr std::string_view kOciFields[] = {
    "ociVersion", "process", "root", "hostname", "domainname", "mounts", "hooks", "annotations",
    "linux", "solaris", "windows", "vm", "zos",
    // Process, Box, User, capabilities, rlimits, scheduler, I/O priority, CPU affinity
    "terminal", "consoleSize", "user", "args", "commandLine", "env", "cwd", "capabilities",
    "rlimits", "noNewPrivileges", "apparmorProfile", "oomScoreAdj", "scheduler", "selinuxLabel",
    "ioPriority", "execCPUAffinity", "height", "width", "uid", "gid", "umask", "additionalGids",
    "username", "bounding", "effective", "inheritable", "permitted", "ambient", "type", "hard",
    "soft", "policy", "nice", "priority", "flags", "runtime", "deadline", "period", "class",
    "initial", "final",
    // Root, Mount, Hooks, Hook
    "path", "readonly", "destination", "source", "options", "uidMappings", "gidMappings",
    "prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
    "timeout",
    // Linux, namespaces, id mappings, time offsets
    "sysctl", "resources", "cgroupsPath", "namespaces", "devices", "seccomp", "rootfsPropagation",
    "maskedPaths", "readonlyPaths", "mountLabel", "intelRdt", "personality", "timeOffsets",
    "netDevices", "containerID", "hostID", "size", "secs", "nanosecs",
    // LinuxResources and its parts
    "memory", "cpu", "pids", "blockIO", "hugepageLimits", "network", "rdma", "unified", "allow",
    "major", "minor", "access", "limit", "reservation", "swap", "kernel", "kernelTCP", "swappiness",
    "disableOOMKiller", "useHierarchy", "checkBeforeUpdate", "shares", "quota", "burst",
    "realtimeRuntime", "realtimePeriod", "cpus", "mems", "idle", "weight", "leafWeight",
    "weightDevice", "throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice",
    "throttleWriteIOPSDevice", "rate", "pageSize", "classID", "priorities", "name", "hcaHandles",
    "hcaObjects",
    // LinuxDevice, seccomp, Intel RDT, personality
    "fileMode", "defaultAction", "defaultErrnoRet", "architectures", "listenerPath",
    "listenerMetadata", "syscalls", "names", "action", "errnoRet", "index", "value", "valueTwo",
    "op", "closID", "l3CacheSchema", "memBwSchema", "schemata", "enableCMT", "enableMBM",
    "enableMonitoring", "domain"};

const std::unordered_set<std::string_view>& ExactFields() {
  static const auto* s =
      new std::unordered_set<std::string_view>(std::begin(kOciFields), std::end(kOciFields));
  return *s;
}

const std::unordered_map<std::string, std::string_view>& FoldedFields() {
  static const auto* m = [] {
    auto* out = new std::unordered_map<std::string, std::string_view>();
    for (auto f : kOciFields) out->emplace(GoFoldKey(f), f);
    return out;
  }();
  return *m;
}

// Objects whose keys are data (Go maps: matched exactly, as we read them): annotations,
// linux.sysctl, linux.netDevices, linux.timeOffsets, linux.resources.unified.
bool IsMapObject(const std::vector<std::string>& path) {
  switch (path.size()) {
    case 1:
      return path[0] == "annotations";
    case 2:
      return path[0] == "linux" &&
             (path[1] == "sysctl" || path[1] == "netDevices" || path[1] == "timeOffsets");
    case 3:
      return path[0] == "linux" && path[1] == "resources" && path[2] == "unified";
    default:
      return false;
  }
}

std::string Where(const std::vector<std::string>& path) {
  if (path.empty()) return "the top-level object";
  std::string out = "object at ";
  for (const auto& seg : path) out += "/" + seg;
  return out;
}

Status Walk(const nlohmann::json& j, std::vector<std::string>& path) {
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) {
      path.push_back(std::to_string(i));
      Status st = Walk(j[i], path);
      path.pop_back();
      VERIFIED_RETURN_IF_ERROR(std::move(st));
    }
    return Ok();
  }
  if (!j.is_object()) return Ok();
  bool map = IsMapObject(path);
  for (const auto& [key, value] : j.items()) {
    if (!map) {
      if (auto field = OciFieldMisspelledAs(key); !field.empty()) {
        return MakeError(ErrorKind::kParse,
                         "config.json: {} has key {}, which runc's decoder takes for the OCI "
                         "field \"{}\" (it matches keys case-insensitively) while verified reads "
                         "\"{}\" only: refused",
                         Where(path), QuoteJsonKey(key), field, field);
      }
    }
    if (!value.is_structured()) continue;
    path.push_back(key);
    Status st = Walk(value, path);
    path.pop_back();
    VERIFIED_RETURN_IF_ERROR(std::move(st));
  }
  return Ok();
}

}  // namespace

std::string_view OciFieldMisspelledAs(std::string_view key) {
  if (ExactFields().count(key) != 0) return {};  // the common case, without folding
  auto it = FoldedFields().find(GoFoldKey(key));
  if (it == FoldedFields().end() || it->second == key) return {};
  return it->second;
}

Status CheckSpecKeySpelling(const nlohmann::json& doc) {
  std::vector<std::string> path;
  return Walk(doc, path);
}

}  // namespace verified
