#include "verifier/checks/host_exposure.h"

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <set>

#include "verifier/checks/spec_view.h"
#include "verifier/image/digest.h"

namespace verified {
namespace {

// Engine API sockets: whoever can write to one starts privileged containers.
const std::set<std::string>& SocketNames() {
  static const std::set<std::string> k = {"docker.sock", "containerd.sock", "containerd.sock.ttrpc",
                                          "podman.sock", "crio.sock"};
  return k;
}

// Character devices every engine creates in a container (null, zero, full, random, urandom,
// tty, console, ptmx); anything else in linux.devices is a host device passed in.
bool IsStandardDevice(const SpecDevice& d) {
  static const std::set<std::pair<int64_t, int64_t>> k = {{1, 3}, {1, 5}, {1, 7}, {1, 8},
                                                          {1, 9}, {5, 0}, {5, 1}, {5, 2}};
  return d.type == "c" && k.count({d.major, d.minor}) > 0;
}

std::string Resolve(const std::string& path) {
  char buf[PATH_MAX];
  if (realpath(path.c_str(), buf) != nullptr) return buf;
  return NormalisePath(path);
}

bool Beneath(const std::string& path, const std::string& dir) {
  if (dir == "/") return path != "/";
  return path.size() > dir.size() && path.compare(0, dir.size(), dir) == 0 &&
         path[dir.size()] == '/';
}

std::vector<std::string> Components(const std::string& path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string Describe(const SpecMount& m, const std::string& resolved) {
  std::string src = m.source == resolved ? m.source : m.source + " (" + resolved + ")";
  return "bind mount of " + src + " at " + m.destination;
}

// The exposures of one bind mount, or "" when it is fine.
std::string CheckBind(const SpecMount& m, const HostProtection& hp) {
  std::string lexical = NormalisePath(m.source);
  std::string resolved = Resolve(m.source);
  std::string base = resolved.substr(resolved.rfind('/') + 1);
  if (SocketNames().count(base)) return Describe(m, resolved) + ": an engine API socket";
  struct stat st;
  if (stat(resolved.c_str(), &st) == 0) {
    // /dev/null & co are harmless (binding /dev/null over a file is a common way to hide
    // it); any other device node gives the container the host's hardware.
    SpecDevice as_spec{resolved, S_ISCHR(st.st_mode) ? "c" : "b", major(st.st_rdev),
                       minor(st.st_rdev)};
    if ((S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) && !IsStandardDevice(as_spec)) {
      return Describe(m, resolved) + ": a host device node";
    }
    if (S_ISDIR(st.st_mode)) {
      for (const auto& s : SocketNames()) {
        struct stat inner;
        std::string p = resolved == "/" ? "/" + s : resolved + "/" + s;
        if (lstat(p.c_str(), &inner) == 0) {
          return Describe(m, resolved) + ": it contains the engine API socket " + p;
        }
      }
    }
  }
  // The same directory under another name: a bind mount (or a volume whose _data is one)
  // of a protected path. Engine-owned paths are no exception: that is how a volume aliases.
  bool have_st = stat(resolved.c_str(), &st) == 0;
  for (const auto& p : hp.paths) {
    if (!have_st || !p.exists || p.path == resolved) continue;
    if (p.descend == Descend::kWritable && m.ReadOnly()) continue;
    if (st.st_dev == p.dev && st.st_ino == p.ino) {
      return Describe(m, resolved) + ": it is " + p.what + " " + p.path + " under another name";
    }
  }
  bool allowed_ro = false;
  if (m.ReadOnly()) {
    for (const auto& a : hp.allow_read_only) {
      if (lexical == a || resolved == a || Beneath(lexical, a) || Beneath(resolved, a)) {
        allowed_ro = true;
      }
    }
  }
  for (const auto& p : hp.paths) {
    // System binary dirs are protected from writes only: reading them gives nothing away.
    if (p.descend == Descend::kWritable && m.ReadOnly()) continue;
    if (resolved == p.path) return Describe(m, resolved) + ": " + p.what;
    if (Beneath(p.path, resolved)) {
      return Describe(m, resolved) + ": it contains " + p.what + " " + p.path;
    }
    if (!Beneath(resolved, p.path) || p.descend == Descend::kNone) continue;
    if (allowed_ro) continue;
    if (p.engine && IsEngineOwnedPath(resolved)) continue;
    return Describe(m, resolved) + (m.ReadOnly() ? "" : " (writable)") + ": it is inside " +
           p.what + " " + p.path;
  }
  return "";
}

Status CheckNamespaces(const Spec& spec, const HostProtection& hp, std::vector<std::string>& out) {
  VERIFIED_ASSIGN_OR_RETURN(auto namespaces, SpecNamespaces(spec));
  const SpecNamespace* pid = nullptr;
  for (const auto& ns : namespaces) {
    if (ns.type == "pid") pid = &ns;
  }
  if (pid == nullptr) {
    out.push_back("it shares the host PID namespace (--pid=host)");
    return Ok();
  }
  if (pid->path.empty()) return Ok();
  struct stat theirs, host;
  if (stat(pid->path.c_str(), &theirs) != 0 || stat(hp.host_pid_ns.c_str(), &host) != 0) {
    out.push_back("it joins the PID namespace " + pid->path +
                  ", which cannot be told apart from the host's");
  } else if (theirs.st_ino == host.st_ino && theirs.st_dev == host.st_dev) {
    out.push_back("it joins the host PID namespace (" + pid->path + ")");
  }
  return Ok();
}

}  // namespace

std::string NormalisePath(const std::string& path) {
  std::vector<std::string> parts;
  for (auto& c : Components(path)) {
    if (c == ".") continue;
    if (c == "..") {
      if (!parts.empty()) parts.pop_back();
      continue;
    }
    parts.push_back(std::move(c));
  }
  std::string out;
  for (const auto& p : parts) out += "/" + p;
  return out.empty() ? "/" : out;
}

bool IsEngineOwnedPath(const std::string& path) {
  auto c = Components(path);
  size_t n = c.size();
  auto at = [&](size_t from_end) -> const std::string& { return c[n - from_end]; };
  static const std::set<std::string> kNetFiles = {"hosts", "hostname", "resolv.conf"};
  // Docker: <root>/containers/<id>/{hosts,hostname,resolv.conf}, .../mounts/{shm,secrets}
  if (n >= 3 && at(3) == "containers" && IsHex64(at(2)) && kNetFiles.count(at(1))) return true;
  if (n >= 4 && at(4) == "containers" && IsHex64(at(3)) && at(2) == "mounts" &&
      (at(1) == "shm" || at(1) == "secrets")) {
    return true;
  }
  // Named volumes (Docker and Podman): <root>/volumes/<name>/_data
  if (n >= 3 && at(3) == "volumes" && at(1) == "_data") return true;
  // containers/storage (Podman, CRI-O): <root>/<driver>-containers/<id>/userdata/<file>
  static const std::set<std::string> kUserdata = {"hosts",         "hostname", "resolv.conf",
                                                  ".containerenv", "shm",      "secrets"};
  if (n >= 4 && EndsWith(at(4), "-containers") && IsHex64(at(3)) && at(2) == "userdata" &&
      kUserdata.count(at(1))) {
    return true;
  }
  // containerd CRI: <root>/io.containerd.grpc.v1.cri/sandboxes/<id>/{hosts,...,shm}
  if (n >= 4 && at(4) == "io.containerd.grpc.v1.cri" && at(3) == "sandboxes" && IsHex64(at(2)) &&
      (kNetFiles.count(at(1)) || at(1) == "shm")) {
    return true;
  }
  return false;
}

HostProtection BuildHostProtection(const std::string& store_root, const std::string& config_dir,
                                   const std::vector<std::string>& allow_read_only) {
  HostProtection hp;
  auto add = [&](const std::string& path, std::string what, Descend d, bool engine) {
    if (path.empty() || path.front() != '/') return;
    for (const auto& p : {NormalisePath(path), Resolve(path)}) {
      bool dup = std::any_of(hp.paths.begin(), hp.paths.end(),
                             [&](const ProtectedPath& x) { return x.path == p; });
      if (dup) continue;
      ProtectedPath pp{p, what, d, engine};
      struct stat st;
      if (stat(p.c_str(), &st) == 0) {
        pp.exists = true;
        pp.dev = st.st_dev;
        pp.ino = st.st_ino;
      }
      hp.paths.push_back(std::move(pp));
    }
  };
  add("/", "the host root filesystem", Descend::kNone, false);
  add("/dev", "the host /dev", Descend::kNone, false);
  add("/etc", "the host configuration /etc", Descend::kAny, false);
  add("/proc", "the host /proc", Descend::kAny, false);
  add("/sys", "the host /sys", Descend::kAny, false);
  add("/boot", "the host /boot", Descend::kAny, false);
  add("/root", "root's home", Descend::kAny, false);
  for (const char* sys : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64"}) {
    add(sys, "the host system binaries", Descend::kWritable, false);
  }
  add(config_dir, "the verified config dir", Descend::kAny, false);
  add(store_root, "the engine data root", Descend::kAny, true);
  for (const char* root : {"/var/lib/docker", "/var/lib/containerd", "/var/lib/containers",
                           "/run/containerd", "/run/docker", "/run/containers", "/run/podman",
                           "/run/crio", "/var/run/containerd", "/var/run/docker"}) {
    add(root, "an engine data or state dir", Descend::kAny, true);
  }
  for (const auto& a : allow_read_only) hp.allow_read_only.push_back(NormalisePath(a));
  return hp;
}

Result<std::vector<std::string>> FindHostExposures(const Spec& spec, const HostProtection& hp) {
  std::vector<std::string> out;
  VERIFIED_ASSIGN_OR_RETURN(auto mounts, SpecMounts(spec));
  for (const auto& m : mounts) {
    if (!m.IsBind()) continue;
    if (m.source.empty() || m.source.front() != '/') {
      out.push_back("bind mount at " + m.destination + " has a relative source '" + m.source + "'");
      continue;
    }
    std::string why = CheckBind(m, hp);
    if (!why.empty()) out.push_back(std::move(why));
  }
  VERIFIED_ASSIGN_OR_RETURN(auto devices, SpecDevices(spec));
  std::vector<std::string> host_devices;
  for (const auto& d : devices) {
    if (!IsStandardDevice(d)) {
      host_devices.push_back(fmt::format("{} ({} {}:{})", d.path, d.type, d.major, d.minor));
    }
  }
  if (!host_devices.empty()) {
    // --privileged passes every host device: name a few and count the rest.
    std::string list;
    for (size_t i = 0; i < host_devices.size() && i < 3; ++i) {
      list += (list.empty() ? "" : ", ") + host_devices[i];
    }
    if (host_devices.size() > 3) list += fmt::format(" and {} more", host_devices.size() - 3);
    out.push_back((host_devices.size() == 1 ? "host device " : "host devices ") + list +
                  (host_devices.size() == 1 ? " is" : " are") + " passed in");
  }
  VERIFIED_ASSIGN_OR_RETURN(bool all_devices, SpecAllowsAllDevices(spec));
  if (all_devices) out.push_back("it is privileged (--privileged: every host device allowed)");
  VERIFIED_ASSIGN_OR_RETURN(auto caps, SpecCapabilities(spec));
  if (caps.count("CAP_SYS_ADMIN")) out.push_back("it has CAP_SYS_ADMIN");
  VERIFIED_RETURN_IF_ERROR(CheckNamespaces(spec, hp, out));
  return out;
}

}  // namespace verified
