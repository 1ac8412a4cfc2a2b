#include "verifier/store/containerd/containerd_root.h"

#include <dirent.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <vector>

#include "verifier/fs/dir.h"
#include "verifier/store/containerd/limits.h"

namespace verified::containerd {
namespace {

std::pair<std::string, std::string> CutLast(const std::string& p) {
  auto slash = p.rfind('/');
  if (slash == std::string::npos) return {"", p};
  return {p.substr(0, slash), p.substr(slash + 1)};
}

constexpr const char* kDefaultRoot = "/var/lib/containerd";
constexpr const char* kDefaultConfig = "/etc/containerd/config.toml";

// Parses one TOML string value starting at `s` (after `=` and spaces).
Result<std::string> TomlString(std::string_view s) {
  if (s.empty()) return MakeError(ErrorKind::kParse, "root has no value");
  std::string out;
  if (s.front() == '\'') {
    auto end = s.find('\'', 1);
    if (end == std::string_view::npos) return MakeError(ErrorKind::kParse, "unterminated string");
    return std::string(s.substr(1, end - 1));
  }
  if (s.front() != '"') return MakeError(ErrorKind::kParse, "root is not a string");
  for (size_t i = 1; i < s.size(); ++i) {
    char c = s[i];
    if (c == '"') return out;
    if (c == '\\') {
      if (i + 1 >= s.size()) break;
      char e = s[++i];
      if (e != '"' && e != '\\') {
        return MakeError(ErrorKind::kUnsupported, "escape \\{} in root is not supported", e);
      }
      c = e;
    }
    out.push_back(c);
  }
  return MakeError(ErrorKind::kParse, "unterminated string");
}

Result<std::vector<std::string>> Cmdline(pid_t pid) {
  VERIFIED_ASSIGN_OR_RETURN(std::string raw,
                            ReadFileLimited("/proc/" + std::to_string(pid) + "/cmdline", 1u << 20));
  std::vector<std::string> args;
  std::string cur;
  for (char c : raw) {
    if (c == '\0') {
      args.push_back(std::move(cur));
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) args.push_back(std::move(cur));
  return args;
}

// The value of a urfave/cli flag: "--name v", "--name=v", "-short v", "-short=v".
std::optional<std::string> Flag(const std::vector<std::string>& args, const std::string& name,
                                const std::string& short_name) {
  std::optional<std::string> out;
  for (size_t i = 1; i < args.size(); ++i) {
    for (const std::string& f : {"--" + name, "-" + name, "-" + short_name, "--" + short_name}) {
      if (f == "-" || f == "--") continue;
      if (args[i] == f && i + 1 < args.size()) out = args[i + 1];
      if (args[i].rfind(f + "=", 0) == 0) out = args[i].substr(f.size() + 1);
    }
  }
  return out;
}

std::string Absolute(pid_t pid, const std::string& path) {
  if (!path.empty() && path.front() == '/') return path;
  char buf[PATH_MAX];
  std::string link = "/proc/" + std::to_string(pid) + "/cwd";
  ssize_t n = readlink(link.c_str(), buf, sizeof(buf) - 1);
  if (n <= 0) return path;
  return std::string(buf, static_cast<size_t>(n)) + "/" + path;
}

}  // namespace

std::optional<TaskBundle> ParseTaskBundle(const std::string& bundle_dir) {
  auto [a, id] = CutLast(bundle_dir);
  auto [b, ns] = CutLast(a);
  auto [state, task] = CutLast(b);
  if (task != kTaskDir || id.empty() || ns.empty() || state.empty() || id == "." || id == ".." ||
      ns == "." || ns == "..") {
    return std::nullopt;
  }
  return TaskBundle{state, ns, id};
}

Result<std::string> RootFromBundle(const std::string& bundle_dir, const TaskBundle& tb) {
  VERIFIED_ASSIGN_OR_RETURN(Dir bundle, Dir::Open(bundle_dir));
  VERIFIED_ASSIGN_OR_WRAP(std::string work, bundle.ReadLink("work"),
                          "containerd bundle {}: the work link to containerd's root", bundle_dir);
  // fmt, not a chain of operator+: GCC 12 at -O3 reports a false -Wstringop-overflow on
  // such chains (gcc.gnu.org/PR105329), which -Werror turns into a broken Release build.
  std::string suffix = fmt::format("/{}/{}/{}", kTaskDir, tb.ns, tb.id);
  if (work.empty() || work.front() != '/' || work.size() <= suffix.size() ||
      work.compare(work.size() - suffix.size(), suffix.size(), suffix) != 0 ||
      work.find("/../") != std::string::npos) {
    return MakeError(ErrorKind::kInconsistent,
                     "containerd bundle {}: work links to '{}', not to <root>{}", bundle_dir, work,
                     suffix);
  }
  return work.substr(0, work.size() - suffix.size());
}

Result<std::string> ConfigRoot(std::string_view toml) {
  std::istringstream in{std::string(toml)};
  std::string line;
  while (std::getline(in, line)) {
    size_t i = line.find_first_not_of(" \t");
    if (i == std::string::npos || line[i] == '#') continue;
    if (line[i] == '[') break;  // the first table ends the top-level keys
    std::string_view rest = std::string_view(line).substr(i);
    for (std::string_view key : {"root", "\"root\"", "'root'"}) {
      if (rest.substr(0, key.size()) != key) continue;
      std::string_view after = rest.substr(key.size());
      size_t j = after.find_first_not_of(" \t");
      if (j == std::string_view::npos || after[j] != '=') continue;
      after = after.substr(j + 1);
      j = after.find_first_not_of(" \t");
      return TomlString(j == std::string_view::npos ? std::string_view() : after.substr(j));
    }
  }
  return std::string();
}

Result<pid_t> SocketOwner(const std::string& path) {
  // /proc/net/unix: "Num RefCount Protocol Flags Type St Inode Path"; a listening socket has
  // flags __SO_ACCEPTCON (0x10000).
  VERIFIED_ASSIGN_OR_RETURN(std::string table, ReadFileLimited("/proc/net/unix", 64u << 20));
  std::istringstream in(table);
  std::string line;
  std::getline(in, line);
  std::string inode;
  while (std::getline(in, line)) {
    std::istringstream f(line);
    std::string num, ref, proto, flags, type, st, ino, p;
    if (!(f >> num >> ref >> proto >> flags >> type >> st >> ino >> p)) continue;
    if (p == path && (std::strtoul(flags.c_str(), nullptr, 16) & 0x10000u) != 0) inode = ino;
  }
  if (inode.empty()) {
    return MakeError(ErrorKind::kNotFound, "no process listens on {}", path);
  }
  std::string want = "socket:[" + inode + "]";
  std::unique_ptr<DIR, int (*)(DIR*)> proc(opendir("/proc"), closedir);
  if (!proc) return SysError(errno, "open /proc");
  while (dirent* e = readdir(proc.get())) {
    char* end = nullptr;
    long pid = std::strtol(e->d_name, &end, 10);
    if (pid <= 0 || *end != '\0') continue;
    std::string fds = std::string("/proc/") + e->d_name + "/fd";
    std::unique_ptr<DIR, int (*)(DIR*)> d(opendir(fds.c_str()), closedir);
    if (!d) continue;
    while (dirent* f = readdir(d.get())) {
      char buf[64];
      std::string link = fds + "/" + f->d_name;
      ssize_t n = readlink(link.c_str(), buf, sizeof(buf) - 1);
      if (n > 0 && std::string_view(buf, static_cast<size_t>(n)) == want) {
        return static_cast<pid_t>(pid);
      }
    }
  }
  return MakeError(ErrorKind::kNotFound, "cannot find the process owning socket {}", path);
}

Result<std::string> RootOfDaemon(const std::string& address, std::string* note) {
  VERIFIED_ASSIGN_OR_RETURN(pid_t pid, SocketOwner(address));
  VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> args, Cmdline(pid));
  if (auto root = Flag(args, "root", "")) {
    if (note) *note = fmt::format("containerd root from pid {}'s --root", pid);
    return Absolute(pid, *root);
  }
  std::string config = Flag(args, "config", "c").value_or(kDefaultConfig);
  config = Absolute(pid, config);
  auto text = ReadFileLimited(config, 16u << 20);
  if (!text.ok() && text.error().kind() != ErrorKind::kNotFound) {
    return Wrap(std::move(text).error(), "containerd config {}", config);
  }
  if (text.ok()) {
    VERIFIED_ASSIGN_OR_WRAP(std::string root, ConfigRoot(*text), "containerd config {}", config);
    if (!root.empty()) {
      if (note) *note = fmt::format("containerd root from `root` in {} (pid {})", config, pid);
      return root;
    }
  }
  if (note) *note = fmt::format("containerd root is the default (pid {} sets none)", pid);
  return std::string(kDefaultRoot);
}

}  // namespace verified::containerd
