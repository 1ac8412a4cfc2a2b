#include "verifier/checks/sealed_mounts.h"

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

namespace verified {
namespace {

// The runtime's own mounts, which every container gets (moby oci/defaults.go,
// runc libcontainer/specconv/example.go).
bool StandardMount(const std::string& dest, const std::string& type) {
  static const std::set<std::pair<std::string, std::string>> kStandard = {
      {"/proc", "proc"},
      {"/dev", "tmpfs"},
      {"/dev/pts", "devpts"},
      {"/sys", "sysfs"},
      {"/sys/fs/cgroup", "cgroup"},
      {"/sys/fs/cgroup", "cgroup2"},
      {"/dev/mqueue", "mqueue"},
      {"/dev/shm", "tmpfs"}};
  return kStandard.count({dest, type}) > 0;
}

// Destinations where engines bind their own per-container files.
bool EngineFileDestination(const std::string& dest) {
  static const std::set<std::string> kDests = {"/etc/resolv.conf", "/etc/hostname", "/etc/hosts",
                                               "/dev/shm", "/run/.containerenv"};
  return kDests.count(dest) > 0;
}

bool PseudoFilesystem(const std::string& type) {
  static const std::set<std::string> kTypes = {"tmpfs",  "proc",   "sysfs",  "devpts",
                                               "mqueue", "cgroup", "cgroup2"};
  return kTypes.count(type) > 0;
}

std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  return realpath(p.c_str(), buf) != nullptr ? std::string(buf) : std::string();
}

bool Beneath(const std::string& path, const std::string& dir) {
  if (dir == "/") return true;
  return path == dir || (path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
                         path[dir.size()] == '/');
}

bool BeneathAny(const std::string& path, const std::vector<std::string>& dirs) {
  for (const auto& d : dirs) {
    if (!d.empty() && Beneath(path, d)) return true;
  }
  return false;
}

bool IsBind(const nlohmann::json& m, const std::string& type) {
  if (type == "bind") return true;
  auto opts = m.find("options");
  if (opts == m.end() || !opts->is_array()) return false;
  for (const auto& o : *opts) {
    if (o.is_string() && (o.get<std::string>() == "bind" || o.get<std::string>() == "rbind")) {
      return true;
    }
  }
  return false;
}

// A relative resolved path `rel` against a protected directory `dir` (relative, "" = root).
bool RelBeneath(const std::string& rel, const std::string& dir) {
  if (dir.empty()) return true;
  return rel == dir || (rel.size() > dir.size() && rel.compare(0, dir.size(), dir) == 0 &&
                        rel[dir.size()] == '/');
}

std::string ProtectedViolation(const std::string& dest, const MergedTree& tree,
                               const ImageIntent& image) {
  auto resolved = tree.Resolve(dest);
  if (!resolved.ok())
    return "mount destination " + dest + " cannot be resolved: " + resolved.error().What();
  for (const auto& p : image.protected_dirs) {
    std::string shown = AbsPath(p.rel);
    std::string at = AbsPath(*resolved) == dest ? dest : dest + " (" + AbsPath(*resolved) + ")";
    if (*resolved == p.rel) return "mount on " + at + " covers " + shown + ", which " + p.reason;
    if (RelBeneath(p.rel, *resolved)) {
      return "mount on " + at + " covers " + shown + ", which " + p.reason;
    }
    if (RelBeneath(*resolved, p.rel)) {
      return "mount on " + at + " is inside " + shown + ", which " + p.reason;
    }
  }
  return "";
}

// Checks one mount; returns "" when it is allowed.
std::string CheckMount(const nlohmann::json& m, const ImageIntent& image, const MergedTree& tree,
                       const EngineFiles& engine, const SealedOptions& opts) {
  if (!m.is_object()) return "a mounts entry is not an object";
  auto str = [&m](const char* k) {
    auto it = m.find(k);
    return it != m.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  std::string raw_dest = str("destination"), type = str("type"), source = str("source");
  if (raw_dest.empty() || raw_dest.front() != '/') {
    return "mount destination '" + raw_dest + "' is not an absolute path";
  }
  std::string dest = CleanAbsolutePath(raw_dest);
  bool bind = IsBind(m, type);
  if (!bind && StandardMount(dest, type)) return "";
  if (bind) {
    std::string real = RealPath(source);
    if (real.empty()) return "bind mount source " + source + " on " + dest + " cannot be resolved";
    if (BeneathAny(real, engine.container_dirs)) {
      if (EngineFileDestination(dest)) return "";
    } else if (EngineFileDestination(dest) &&
               std::find(engine.container_files.begin(), engine.container_files.end(), real) !=
                   engine.container_files.end()) {
      return "";
    } else if (BeneathAny(real, engine.volume_dirs)) {
      if (!opts.allow_volumes) {
        return "volume " + source + " on " + dest + " (the rule sets allow_volumes to false)";
      }
    } else if (!BeneathAny(real, opts.allow_mounts) && !BeneathAny(source, opts.allow_mounts)) {
      return "bind mount from the host: " + source + " on " + dest +
             " (only the engine's own files, its volumes and the rule's allow_mounts may be "
             "mounted into a sealed container)";
    }
  } else if (!PseudoFilesystem(type)) {
    return "mount of a '" + type + "' filesystem from " + source + " on " + dest;
  }
  return ProtectedViolation(dest, tree, image);
}

}  // namespace

std::vector<std::string> CheckSealedMounts(const nlohmann::json& spec, const ImageIntent& image,
                                           const MergedTree& tree, const EngineFiles& engine,
                                           const SealedOptions& options) {
  auto mounts = spec.find("mounts");
  if (mounts == spec.end() || mounts->is_null()) return {};
  if (!mounts->is_array()) return {"the spec's mounts is not a list"};
  std::vector<std::string> out;
  for (const auto& m : *mounts) {
    std::string v = CheckMount(m, image, tree, engine, options);
    if (!v.empty()) out.push_back(std::move(v));
  }
  return out;
}

}  // namespace verified
