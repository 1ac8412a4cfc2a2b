#include "ctl/engines/podman_containers.h"

#include <algorithm>
#include <climits>
#include <cstdlib>

#include "verifier/core/json.h"
#include "verifier/fs/dir.h"
#include "verifier/image/digest.h"

namespace verified::ctl {
namespace {

constexpr size_t kMaxPodmanSmallFile = 4096;
constexpr size_t kMaxCmdline = 64u << 10;
constexpr size_t kMaxGraphEntries = 10000;

bool SafeComponent(const std::string& s) {
  return !s.empty() && s.size() <= 128 &&
         s.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_-") == std::string::npos;
}

std::optional<pid_t> ReadPid(const Dir& dir, const char* file) {
  auto text = dir.ReadFile(file, kMaxPodmanSmallFile);
  if (!text.ok()) return std::nullopt;
  char* end = nullptr;
  long pid = strtol(text->c_str(), &end, 10);
  if (pid <= 0 || pid > INT_MAX) return std::nullopt;
  return static_cast<pid_t>(pid);
}

// PPid of a live process, or 0 when it is gone.
pid_t ParentOf(pid_t pid) {
  auto stat = ReadFileLimited("/proc/" + std::to_string(pid) + "/stat", 4096);
  if (!stat.ok()) return 0;
  auto close = stat->rfind(')');
  if (close == std::string::npos) return 0;
  char state = 0;
  int ppid = 0;
  if (sscanf(stat->c_str() + close + 1, " %c %d", &state, &ppid) != 2) return 0;
  return ppid;
}

// Running state, runtime and bundle from the runroot and /proc.
void ReadRuntimeState(const std::string& run_dir, FoundContainer& c) {
  auto dir = Dir::Open(run_dir);
  if (!dir.ok()) return;  // never started since boot
  auto pid = ReadPid(*dir, "pidfile");
  auto conmon = ReadPid(*dir, "conmon.pid");
  if (!pid || !conmon || ParentOf(*pid) != *conmon) return;
  c.running = true;
  c.state = "running";
  auto cmdline = ReadFileLimited("/proc/" + std::to_string(*conmon) + "/cmdline", kMaxCmdline);
  if (cmdline.ok()) c.runtime = RuntimeFromConmonCmdline(*cmdline);
}

}  // namespace

std::string RuntimeFromConmonCmdline(std::string_view cmdline) {
  std::vector<std::string_view> args;
  size_t i = 0;
  while (i < cmdline.size()) {
    size_t j = cmdline.find('\0', i);
    if (j == std::string_view::npos) j = cmdline.size();
    args.push_back(cmdline.substr(i, j - i));
    i = j + 1;
  }
  for (size_t k = 0; k + 1 < args.size(); ++k) {
    if (args[k] == "-r" || args[k] == "--runtime") return std::string(args[k + 1]);
  }
  return "";
}

Result<std::vector<StorageContainer>> ParseStorageContainers(std::string_view text) {
  if (text.size() > kMaxContainersJsonBytes) {
    return MakeError(ErrorKind::kTooLarge, "containers.json exceeds {} bytes",
                     kMaxContainersJsonBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "containers.json"));
  if (!j.is_array()) return MakeError(ErrorKind::kParse, "containers.json is not a list");
  if (j.size() > kMaxStorageContainers) {
    return MakeError(ErrorKind::kTooLarge, "containers.json lists more than {} containers",
                     kMaxStorageContainers);
  }
  std::vector<StorageContainer> out;
  for (const auto& e : j) {
    if (!e.is_object()) return MakeError(ErrorKind::kParse, "containers.json entry not an object");
    StorageContainer c;
    VERIFIED_ASSIGN_OR_RETURN(c.id, OptionalString(e, "id", "containers.json entry"));
    VERIFIED_ASSIGN_OR_RETURN(c.image_id, OptionalString(e, "image", "containers.json entry"));
    VERIFIED_ASSIGN_OR_RETURN(c.layer, OptionalString(e, "layer", "containers.json entry"));
    if (!IsHex64(c.id)) return MakeError(ErrorKind::kParse, "containers.json: invalid id");
    if (!c.image_id.empty() && !IsHex64(c.image_id)) {
      return MakeError(ErrorKind::kParse, "containers.json {}: invalid image id", c.id);
    }
    if (!SafeComponent(c.layer)) {
      return MakeError(ErrorKind::kParse, "containers.json {}: invalid layer id", c.id);
    }
    if (auto names = e.find("names"); names != e.end() && names->is_array()) {
      for (const auto& n : *names) {
        if (n.is_string()) c.names.push_back(n.get<std::string>());
      }
    }
    VERIFIED_ASSIGN_OR_RETURN(std::string meta, OptionalString(e, "metadata", "containers.json"));
    if (!meta.empty()) {
      auto m = ParseJson(meta, "containers.json metadata", 16);
      if (m.ok() && m->is_object()) c.image_name = JsonString(*m, {"image-name"});
    }
    out.push_back(std::move(c));
  }
  return out;
}

PodmanContainers::PodmanContainers(std::string graph_root, std::string run_root)
    : graph_root_(std::move(graph_root)), run_root_(std::move(run_root)) {}

Result<std::optional<std::vector<FoundContainer>>> PodmanContainers::List(
    bool include_stopped) const {
  using Out = std::optional<std::vector<FoundContainer>>;
  auto root = Dir::Open(graph_root_);
  if (!root.ok()) {
    if (root.error().kind() == ErrorKind::kNotFound) return Out();
    return Wrap(std::move(root).error(), "podman graph root {}", graph_root_);
  }
  VERIFIED_ASSIGN_OR_RETURN(auto entries, root->List("", kMaxGraphEntries));
  std::sort(entries.begin(), entries.end());
  bool present = false;
  std::vector<FoundContainer> out;
  const std::string suffix = "-containers";
  for (const auto& dir : entries) {
    if (dir.size() <= suffix.size() ||
        dir.compare(dir.size() - suffix.size(), suffix.size(), suffix) != 0) {
      continue;
    }
    std::string driver = dir.substr(0, dir.size() - suffix.size());
    if (!SafeComponent(driver)) continue;
    VERIFIED_ASSIGN_OR_RETURN(bool has, root->Exists(dir + "/containers.json"));
    if (!has) continue;
    present = true;
    VERIFIED_ASSIGN_OR_RETURN(std::string text,
                              root->ReadFile(dir + "/containers.json", kMaxContainersJsonBytes));
    VERIFIED_ASSIGN_OR_WRAP(auto containers, ParseStorageContainers(text), "{}/{}", graph_root_,
                            dir);
    for (const auto& sc : containers) {
      FoundContainer c;
      c.engine = "podman";
      c.id = sc.id;
      c.name = sc.names.empty() ? sc.id.substr(0, 12) : sc.names.front();
      c.image_typed = sc.image_name;
      c.rootfs = graph_root_ + "/" + driver + "/" + sc.layer + "/merged";
      c.state = "not running";
      ReadRuntimeState(run_root_ + "/" + dir + "/" + sc.id + "/userdata", c);
      if (c.running) {
        std::string bundle = graph_root_ + "/" + dir + "/" + sc.id + "/userdata";
        auto spec_there = root->Exists(dir + "/" + sc.id + "/userdata/config.json");
        if (spec_there.ok() && *spec_there) {
          c.bundle = bundle;
        } else {
          c.notes.push_back("OCI bundle not found in " + bundle);
        }
      }
      if (!include_stopped && !c.running) continue;
      out.push_back(std::move(c));
    }
  }
  if (!present) return Out();
  return Out(std::move(out));
}

}  // namespace verified::ctl
