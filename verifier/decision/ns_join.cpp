#include "verifier/decision/ns_join.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <ctime>

#include "verifier/core/json.h"
#include "verifier/decision/runc_state.h"
#include "verifier/fs/dir.h"

namespace verified {
namespace {

// containerd internal/cri/annotations: what CRI puts in every container's spec.
constexpr const char* kCriContainerType = "io.kubernetes.cri.container-type";
constexpr const char* kCriSandboxId = "io.kubernetes.cri.sandbox-id";
// How runc keeps that annotation of a sandbox in its state (libcontainer/specconv labels).
constexpr const char* kCriSandboxLabel = "io.kubernetes.cri.container-type=sandbox";

// The pid of a "/proc/<digits>/ns/<name>" path; nullopt for any other path. Only this exact
// shape counts: procfs cannot be swapped under us, and its root is the process's.
std::optional<long> ProcNsPid(const std::string& path) {
  constexpr std::string_view kProc = "/proc/";
  if (path.rfind(kProc, 0) != 0) return std::nullopt;
  size_t i = kProc.size(), start = i;
  while (i < path.size() && isdigit(static_cast<unsigned char>(path[i]))) ++i;
  if (i == start || i - start > 9 || path.compare(i, 4, "/ns/") != 0) return std::nullopt;
  std::string name = path.substr(i + 4);
  if (name.empty() || name.find('/') != std::string::npos) return std::nullopt;
  return std::stol(path.substr(start, i - start));
}

// A bind-mounted namespace file is only as fixed as the directories above it: a directory
// that someone other than root may write could get a symlink to another namespace between
// this check and runc's open. Every prefix must be owned by us (root) and not group/world
// writable, except a sticky directory (/tmp) whose next component is ours: the sticky bit
// keeps others from renaming or removing it.
std::optional<std::string> UnsafeNsPath(const std::string& path) {
  if (path.empty() || path.front() != '/') return "it is not an absolute path";
  for (size_t slash = 0; slash != std::string::npos;) {
    std::string dir = slash == 0 ? "/" : path.substr(0, slash);
    size_t next = path.find('/', slash + 1);
    std::string sub = next == std::string::npos ? path : path.substr(0, next);
    struct stat st, child;
    if (stat(dir.c_str(), &st) != 0) return dir + ": " + ErrnoText(errno);
    bool shared = (st.st_mode & 022) != 0;
    if (shared && (st.st_mode & S_ISVTX) != 0) {
      shared = lstat(sub.c_str(), &child) != 0 || child.st_uid != geteuid();
    }
    if (st.st_uid != geteuid() || shared) {
      return dir + " may be changed by users other than root";
    }
    slash = next;
  }
  return std::nullopt;
}

std::string Entered(const std::string& type, const SealEntry& e) {
  std::string image = e.image.empty() ? e.image_id : e.image;
  return "it joins the " + type + " namespace of container " + e.container_id +
         ", which runs sealed image " + image + ": a sealed container cannot be entered";
}

// Looks `name` up; a refusal reason when a live enforce-mode seal holds it.
std::optional<std::string> Lookup(const std::string& seal_dir, const std::string& name,
                                  const NsJoin& j, bool need_type) {
  auto e = ReadSealEntry(seal_dir, name);
  if (!e.ok()) return "the seal index cannot be trusted: " + e.error().What();
  if (!e->has_value()) return std::nullopt;
  const SealEntry& entry = **e;
  if (!SealEntryLive(name, entry, 600)) {
    (void)RemoveSealEntry(seal_dir, name);  // best effort: it names a dead container
    return std::nullopt;
  }
  if (entry.mode != "enforce") return std::nullopt;
  if (need_type && std::find(entry.namespaces.begin(), entry.namespaces.end(), j.type) ==
                       entry.namespaces.end()) {
    return std::nullopt;  // a namespace the sealed container joined itself (its pod's)
  }
  return Entered(j.type, entry);
}

// The init pid runc recorded for a container and its state document.
std::optional<std::pair<long, nlohmann::json>> RuncState(const std::string& root,
                                                         const std::string& id) {
  auto dir = Dir::Open(root);
  if (!dir.ok()) return std::nullopt;
  auto text = dir->ReadFile(id + "/state.json", kMaxSpecBytes);
  if (!text.ok()) return std::nullopt;
  auto j = ParseJson(*text, "runc state.json");
  if (!j.ok()) return std::nullopt;
  int64_t pid = JsonInt(*j, {"init_process_pid"}, 0);
  if (pid <= 0) return std::nullopt;
  return std::make_pair(static_cast<long>(pid), std::move(j).value());
}

bool SameFile(const std::string& a, const std::string& b) {
  struct stat sa, sb;
  return stat(a.c_str(), &sa) == 0 && stat(b.c_str(), &sb) == 0 && sa.st_dev == sb.st_dev &&
         sa.st_ino == sb.st_ino;
}

}  // namespace

std::vector<NsJoin> JoinedNamespaces(const Spec& spec) {
  std::vector<NsJoin> out;
  const nlohmann::json* ns = JsonAt(spec.raw, {"linux", "namespaces"});
  if (ns == nullptr || !ns->is_array()) return out;
  for (const auto& n : *ns) {
    std::string path = JsonString(n, {"path"});
    if (!path.empty()) out.push_back(NsJoin{JsonString(n, {"type"}), path});
  }
  return out;
}

std::vector<std::string> CreatedNamespaces(const Spec& spec) {
  std::vector<std::string> out;
  const nlohmann::json* ns = JsonAt(spec.raw, {"linux", "namespaces"});
  if (ns == nullptr || !ns->is_array()) return out;
  for (const auto& n : *ns) {
    if (JsonString(n, {"path"}).empty()) out.push_back(JsonString(n, {"type"}));
  }
  return out;
}

std::string NamespaceFile(const std::string& type) {
  if (type == "network") return "net";
  if (type == "mount") return "mnt";
  return type;
}

bool SealEntryLive(const std::string& name, const SealEntry& e, long grace_seconds) {
  if (name.rfind("ns-", 0) == 0) {
    // The sealed container's init is the init of its own PID namespace (rule 2 forbids it to
    // join another's): while it is in this namespace the container holds it; once it is
    // not, no process of that container is left anywhere.
    if (e.init_pid <= 0 || e.ns_type.empty()) return false;
    struct stat now;
    std::string ns = "/proc/" + std::to_string(e.init_pid) + "/ns/" + NamespaceFile(e.ns_type);
    // Only a process that is gone makes the entry stale. Any other failure (EACCES: Landlock
    // hides other processes' /proc/<pid>/ns from a confined caller) cannot show that the sealed
    // namespace is gone, so the entry stays live and the join is refused (fail closed).
    if (stat(ns.c_str(), &now) != 0) return errno != ENOENT && errno != ESRCH;
    return NsEntryName(FileKeyOf(now)) == name;
  }
  struct stat st;
  std::string dir = e.runc_root + "/" + e.container_id;
  if (IsValidContainerId(e.container_id) && lstat(dir.c_str(), &st) == 0) return true;
  return e.written_at + grace_seconds > static_cast<int64_t>(time(nullptr));
}

std::optional<std::string> JoinsSealedNamespace(const std::vector<NsJoin>& joins,
                                                const std::string& seal_dir) {
  for (const NsJoin& j : joins) {
    auto pid = ProcNsPid(j.path);
    if (!pid) {
      if (auto unsafe = UnsafeNsPath(j.path)) {
        return "cannot tell whose " + j.type + " namespace " + j.path + " is: " + *unsafe;
      }
    }
    struct stat st;
    if (stat(j.path.c_str(), &st) != 0) {
      return "cannot tell whose " + j.type + " namespace " + j.path + " is: " + ErrnoText(errno);
    }
    if (auto r = Lookup(seal_dir, NsEntryName(FileKeyOf(st)), j, false)) return r;
    if (!pid) continue;
    // Between a sealed container's create and start its namespaces are not indexed yet, but
    // every process in them already has the container's root (runc pivots before it waits
    // for `start`), and that root was indexed at create.
    struct stat root;
    std::string proc_root = "/proc/" + std::to_string(*pid) + "/root";
    if (stat(proc_root.c_str(), &root) != 0) {
      return "cannot tell whose " + j.type + " namespace " + j.path + " is: " + proc_root + ": " +
             ErrnoText(errno);
    }
    if (auto r = Lookup(seal_dir, RootEntryName(FileKeyOf(root)), j, true)) return r;
  }
  return std::nullopt;
}

bool JoinOwnPodSandbox(const Spec& spec, const NsJoin& join, const std::string& runc_root) {
  if (join.type != "ipc" && join.type != "uts" && join.type != "network") return false;
  if (spec.Annotation(kCriContainerType) != "container") return false;
  std::string sandbox = spec.Annotation(kCriSandboxId);
  if (!IsValidContainerId(sandbox)) return false;
  auto state = RuncState(runc_root, sandbox);
  if (!state) return false;
  // runc keeps the spec's annotations as "key=value" labels (libcontainer/specconv).
  const nlohmann::json* labels = JsonAt(state->second, {"config", "labels"});
  const std::string want = kCriSandboxLabel;
  bool is_sandbox = labels != nullptr && labels->is_array() &&
                    std::any_of(labels->begin(), labels->end(), [&](const nlohmann::json& l) {
                      return l.is_string() && l.get<std::string>() == want;
                    });
  if (!is_sandbox) return false;
  return SameFile(join.path,
                  "/proc/" + std::to_string(state->first) + "/ns/" + NamespaceFile(join.type));
}

std::optional<std::string> SealedJoinRefusal(const Spec& spec, const std::vector<NsJoin>& joins,
                                             const std::string& runc_root) {
  for (const NsJoin& j : joins) {
    if (j.type != "pid" && j.type != "ipc" && j.type != "uts" && j.type != "network" &&
        j.type != "mount") {
      continue;  // user, cgroup, time: nothing of the process is reachable through them
    }
    if (JoinOwnPodSandbox(spec, j, runc_root)) continue;
    if (j.type == "network" && !ProcNsPid(j.path)) continue;  // rule 1 looked it up
    return "sealed image: it joins the " + j.type + " namespace " + j.path +
           " of another container; a sealed container shares its " + j.type +
           " namespace with no process of another image (only its own pod's sandbox may hold "
           "its IPC, UTS and network namespaces)";
  }
  return std::nullopt;
}

}  // namespace verified
