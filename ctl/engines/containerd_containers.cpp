#include "ctl/engines/containerd_containers.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>

#include "verifier/bundle/bundle_locator.h"
#include "verifier/bundle/spec.h"
#include "verifier/core/json.h"

namespace verified::ctl {
namespace {

constexpr const char* kTaskDir = "io.containerd.runtime.v2.task";
constexpr size_t kMaxNamespaces = 1000;
constexpr size_t kMaxTasks = 100000;
constexpr size_t kMaxSmallFile = 4096;

// containerd identifiers: [A-Za-z0-9][A-Za-z0-9_.-]{0,75} (pkg/identifiers).
bool ValidIdentifier(const std::string& s) {
  if (s.empty() || s.size() > 76 || !std::isalnum(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.' && c != '-') {
      return false;
    }
  }
  return true;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string RuntimeOf(const Dir& task) {
  auto opts = task.ReadFile("options.json", kMaxSmallFile);
  if (opts.ok()) {
    auto j = ParseJson(*opts, "options.json");
    if (j.ok()) {
      std::string bin = JsonString(*j, {"binary_name"});
      if (!bin.empty()) return bin;
    }
  }
  for (const char* f : {"runtime", "shim-binary-path"}) {
    auto v = task.ReadFile(f, kMaxSmallFile);
    if (v.ok() && !Trim(*v).empty()) return Trim(*v);
  }
  return "";
}

// Names a CRI container like crictl does (namespace/pod/container), a pod sandbox
// namespace/pod/POD (the kubelet's name for the infra container, k8s_POD_<pod>_<ns> under
// dockershim); others "<ns>/<id>".
std::string NameOf(const Spec& spec, const std::string& ns, const std::string& id) {
  std::string ctr = spec.Annotation("io.kubernetes.cri.container-name");
  std::string pod = spec.Annotation("io.kubernetes.cri.sandbox-name");
  std::string kns = spec.Annotation("io.kubernetes.cri.sandbox-namespace");
  if (ctr.empty() && spec.Annotation("io.kubernetes.cri.container-type") == "sandbox") {
    ctr = "POD";
  }
  if (!ctr.empty() && !pod.empty()) return (kns.empty() ? "" : kns + "/") + pod + "/" + ctr;
  return ns + "/" + id;
}

// The bundles whose shim may supervise this task: its own, and for a CRI container its pod
// sandbox's. containerd-shim-runc-v2 serves every container of a pod from the one shim it
// started for the sandbox, in the sandbox's bundle (shim grouping by the
// io.kubernetes.cri.sandbox-id annotation, containerd runtime/v2/runc/v2/service.go), so a
// running CRI container's init has the sandbox's bundle as its parent's working directory.
std::vector<std::string> SupervisingBundles(const std::string& bundle, const Spec& spec) {
  std::vector<std::string> out = {bundle};
  std::string sandbox = spec.Annotation("io.kubernetes.cri.sandbox-id");
  if (ValidIdentifier(sandbox)) out.push_back(bundle.substr(0, bundle.rfind('/') + 1) + sandbox);
  return out;
}

}  // namespace

std::vector<std::string> DefaultContainerdStateDirs() {
  return {"/run/containerd", "/run/docker/containerd/daemon"};
}

ContainerdContainers::ContainerdContainers(std::vector<std::string> state_dirs)
    : state_dirs_(std::move(state_dirs)) {}

std::string ContainerdContainers::Where() const {
  std::string s;
  for (const auto& d : state_dirs_) s += (s.empty() ? "" : ", ") + d;
  return s;
}

Result<FoundContainer> ReadContainerdTask(const Dir& task_root, const std::string& ns,
                                          const std::string& id) {
  VERIFIED_ASSIGN_OR_RETURN(Dir task, task_root.OpenDir(ns + "/" + id));
  std::string bundle = task_root.path() + "/" + ns + "/" + id;
  char real[PATH_MAX];
  // The shim's working directory is reported with symlinks resolved (/var/run -> /run).
  if (realpath(bundle.c_str(), real) != nullptr) bundle = real;
  VERIFIED_ASSIGN_OR_RETURN(std::string text, task.ReadFile("config.json", kMaxSpecBytes));
  VERIFIED_ASSIGN_OR_WRAP(Spec spec, ParseSpec(text), "task {}/{}", ns, id);
  FoundContainer c;
  c.engine = "containerd";
  c.id = id;
  c.name = NameOf(spec, ns, id);
  c.image_typed = spec.Annotation("io.kubernetes.cri.image-name");
  c.rootfs = spec.root_path.front() == '/' ? spec.root_path : bundle + "/" + spec.root_path;
  c.runtime = RuntimeOf(task);
  c.state = "created";
  auto pid_text = task.ReadFile("init.pid", kMaxSmallFile);
  if (pid_text.ok()) {
    char* end = nullptr;
    long pid = strtol(pid_text->c_str(), &end, 10);
    auto located = pid > 0 ? BundleOfInitPid(static_cast<pid_t>(pid))
                           : Result<std::string>(MakeError(ErrorKind::kParse, "bad init.pid"));
    auto shims = SupervisingBundles(bundle, spec);
    if (located.ok() && std::find(shims.begin(), shims.end(), *located) != shims.end()) {
      c.running = true;
      c.state = "running";
      c.bundle = bundle;
    } else {
      c.state = "stopped";
    }
  }
  return c;
}

Result<std::optional<std::vector<FoundContainer>>> ContainerdContainers::List(
    bool include_stopped) const {
  using Out = std::optional<std::vector<FoundContainer>>;
  bool present = false;
  std::vector<FoundContainer> out;
  for (const auto& state : state_dirs_) {
    auto root = Dir::Open(state);
    if (!root.ok()) {
      if (root.error().kind() == ErrorKind::kNotFound) continue;
      return Wrap(std::move(root).error(), "containerd state dir {}", state);
    }
    auto has = root->Exists(kTaskDir);
    if (!has.ok()) return Wrap(std::move(has).error(), "containerd state dir {}", state);
    if (!*has) continue;
    present = true;
    VERIFIED_ASSIGN_OR_RETURN(Dir tasks, root->OpenDir(kTaskDir));
    VERIFIED_ASSIGN_OR_RETURN(auto namespaces, tasks.List("", kMaxNamespaces));
    std::sort(namespaces.begin(), namespaces.end());
    for (const auto& ns : namespaces) {
      if (!ValidIdentifier(ns)) continue;
      VERIFIED_ASSIGN_OR_RETURN(auto ids, tasks.List(ns, kMaxTasks));
      std::sort(ids.begin(), ids.end());
      for (const auto& id : ids) {
        if (!ValidIdentifier(id)) continue;
        auto c = ReadContainerdTask(tasks, ns, id);
        if (!c.ok()) {
          // A task half-created or being deleted has no config.json yet/any more: skip it;
          // anything else is a broken state dir.
          if (c.error().kind() == ErrorKind::kNotFound) continue;
          return Wrap(std::move(c).error(), "containerd task {}/{}", ns, id);
        }
        if (!include_stopped && !c->running) continue;
        out.push_back(std::move(c).value());
      }
    }
  }
  if (!present) return Out();
  return Out(std::move(out));
}

}  // namespace verified::ctl
