#include "verifier/checks/sealed_privileges.h"

#include <sys/stat.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>

#include "verifier/core/json.h"
#include "verifier/seccomp/profile_check.h"

namespace verified {
namespace {

// CAP_CHOWN .. CAP_AUDIT_READ (0-37): what Docker's --privileged grants on every kernel
// since 3.16; newer capabilities may be missing from an older kernel's "all".
constexpr size_t kPrivilegedCapCount = 38;

std::set<std::string> Capabilities(const nlohmann::json& process) {
  std::set<std::string> caps;
  const nlohmann::json* c = JsonAt(process, {"capabilities"});
  if (c == nullptr || !c->is_object()) return caps;
  for (const auto& [set, list] : c->items()) {
    if (!list.is_array()) continue;
    for (const auto& v : list) {
      if (v.is_string()) caps.insert(v.get<std::string>());
    }
  }
  return caps;
}

// Podman's --privileged grants every capability in its own bounding set (containers/common
// pkg/capabilities BoundingSet), Docker's its whole list; on a host whose bounding set lacks
// one (a machine that is itself a container) that one is missing from both "all"s.
bool HasAllCapabilities(const std::set<std::string>& caps, const HostFacts& host) {
  const auto& known = KnownCapabilities();
  for (size_t i = 0; i < kPrivilegedCapCount; ++i) {
    if (caps.count(known[i]) > 0) continue;
    if (std::count(host.missing_capabilities.begin(), host.missing_capabilities.end(), i) == 0) {
      return false;
    }
  }
  return true;
}

bool ListEmpty(const nlohmann::json& linux, const char* key) {
  auto it = linux.find(key);
  return it == linux.end() || !it->is_array() || it->empty();
}

// An allow rule with no type (or "a") and no major/minor: every device node on the host.
bool AllowsAllDevices(const nlohmann::json& linux) {
  const nlohmann::json* devs = JsonAt(linux, {"resources", "devices"});
  if (devs == nullptr || !devs->is_array()) return false;
  for (const auto& d : *devs) {
    if (!d.is_object() || !JsonBool(d, {"allow"})) continue;
    std::string type = JsonString(d, {"type"});
    bool any_major = !d.contains("major") || d["major"].is_null() || JsonInt(d, {"major"}) == -1;
    bool any_minor = !d.contains("minor") || d["minor"].is_null() || JsonInt(d, {"minor"}) == -1;
    if ((type.empty() || type == "a") && any_major && any_minor) return true;
  }
  return false;
}

std::string Join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) {
    if (!s.empty()) s += ", ";
    s += x;
  }
  return s;
}

void CheckNamespaces(const nlohmann::json& linux, std::vector<std::string>& out) {
  static const std::vector<std::pair<std::string, std::string>> kRequired = {
      {"pid", "PID (--pid=host)"},
      {"ipc", "IPC (--ipc=host)"},
      {"network", "network (--network=host)"}};
  const nlohmann::json* ns = JsonAt(linux, {"namespaces"});
  for (const auto& [type, label] : kRequired) {
    bool own = false, host = true;
    if (ns != nullptr && ns->is_array()) {
      for (const auto& n : *ns) {
        if (JsonString(n, {"type"}) != type) continue;
        std::string path = JsonString(n, {"path"});
        own = true;
        host = !path.empty() && IsHostNamespace(path, type);
      }
    }
    if (!own || host) out.push_back("shares the host's " + label + " namespace");
  }
}

void CheckSeccomp(const nlohmann::json& linux, const SealedOptions& opts,
                  std::vector<std::string>& out) {
  auto sc = linux.find("seccomp");
  auto report = AnalyzeSeccomp(sc == linux.end() ? nullptr : &*sc, opts.forbidden_syscalls);
  if (!report.ok()) {
    out.push_back("seccomp profile cannot be read: " + report.error().What());
    return;
  }
  if (!report->present) {
    out.push_back("seccomp is disabled (seccomp=unconfined)");
    return;
  }
  if (!report->unknown_names.empty()) {
    // fmt rather than `literal + std::string&&`: GCC 12 at -O3 reports a false
    // -Warray-bounds in the string move that follows (gcc.gnu.org/PR105329).
    out.push_back(fmt::format("seccomp profile names syscalls unknown to libseccomp: {}",
                              Join(report->unknown_names)));
  }
  if (!report->allowed.empty()) {
    out.push_back(fmt::format("seccomp profile allows {}, which a sealed container must not be "
                              "able to call",
                              Join(report->allowed)));
  }
}

}  // namespace

HostFacts ProbeHost() {
  HostFacts h;
  std::ifstream f("/sys/module/apparmor/parameters/enabled");
  std::string v;
  if (f && std::getline(f, v)) h.apparmor_enabled = !v.empty() && v[0] == 'Y';
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("CapBnd:", 0) != 0) continue;
    uint64_t bnd = std::strtoull(line.c_str() + 7, nullptr, 16);
    for (size_t i = 0; i < kPrivilegedCapCount; ++i) {
      if ((bnd & (uint64_t{1} << i)) == 0) h.missing_capabilities.push_back(i);
    }
  }
  return h;
}

bool IsHostNamespace(const std::string& path, const std::string& type) {
  std::string file = type == "network" ? "net" : type;
  struct stat a, b;
  if (stat(path.c_str(), &a) != 0) return false;  // runc will fail on it anyway
  std::string self = "/proc/self/ns/" + file;
  if (stat(self.c_str(), &b) != 0) return false;
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

std::vector<std::string> CheckSealedPrivileges(const nlohmann::json& spec,
                                               const SealedOptions& options,
                                               const HostFacts& host) {
  std::vector<std::string> out;
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* process = JsonAt(spec, {"process"});
  const nlohmann::json* linux = JsonAt(spec, {"linux"});
  if (process == nullptr) process = &kEmpty;
  if (linux == nullptr || !linux->is_object()) linux = &kEmpty;
  auto caps = Capabilities(*process);
  bool all_caps = HasAllCapabilities(caps, host);
  bool unmasked = ListEmpty(*linux, "maskedPaths") && ListEmpty(*linux, "readonlyPaths");
  bool all_devices = AllowsAllDevices(*linux);
  if (all_caps && (unmasked || all_devices)) {
    out.push_back("privileged mode (every capability, no masked paths, all host devices)");
  } else {
    std::vector<std::string> extra;
    const auto& def = EngineDefaultCapabilities();
    for (const auto& c : caps) {
      if (std::count(def.begin(), def.end(), c) == 0 &&
          std::count(options.allow_capabilities.begin(), options.allow_capabilities.end(), c) ==
              0) {
        extra.push_back(c);
      }
    }
    if (!extra.empty()) {
      out.push_back("capabilities beyond the engine's default set: " + Join(extra));
    }
    if (unmasked) out.push_back("no masked or read-only kernel paths (systempaths=unconfined)");
    if (all_devices) out.push_back("access to every host device");
  }
  CheckNamespaces(*linux, out);
  CheckSeccomp(*linux, options, out);
  std::string apparmor = JsonString(*process, {"apparmorProfile"});
  if (apparmor == "unconfined") {
    out.push_back("AppArmor is disabled (apparmor=unconfined)");
  } else if (apparmor.empty() && host.apparmor_enabled) {
    out.push_back("no AppArmor profile although the host enforces AppArmor");
  }
  return out;
}

}  // namespace verified
