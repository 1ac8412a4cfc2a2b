#include "install/containerd_config.h"

#include <optional>
#include <sstream>
#include <vector>

namespace verified::install {
namespace {

std::string BeginMarker(const std::string& name) {
  return "# BEGIN " + name + " runtime (verifiedctl install containerd)";
}
std::string EndMarker(const std::string& name) { return "# END " + name + " runtime"; }

std::vector<std::string> Lines(std::string_view text) {
  std::vector<std::string> out;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

// Whether the last line of a (non-empty) text ends with a newline: kept as it was, so that an
// uninstall gives back exactly the bytes the install found.
bool EndsWithNewline(std::string_view text) { return text.empty() || text.back() == '\n'; }

std::string Join(const std::vector<std::string>& lines, bool final_newline) {
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    out += lines[i];
    if (i + 1 < lines.size() || final_newline) out += "\n";
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool IsBareKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_';
}

// A table header line ("[a.b]" or "[[a.b]]"): its canonical key path, or nullopt.
std::optional<std::string> HeaderOf(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.empty() || t.front() != '[') return std::nullopt;
  bool array = t.size() > 1 && t[1] == '[';
  size_t open = array ? 2 : 1;
  // The header ends at the last ']' (before a comment); quotes inside may hold '#' or ']'.
  size_t close = std::string_view::npos;
  char quote = 0;
  for (size_t i = open; i < t.size(); ++i) {
    if (quote) {
      if (t[i] == quote) quote = 0;
    } else if (t[i] == '"' || t[i] == '\'') {
      quote = t[i];
    } else if (t[i] == ']') {
      close = i;
      break;
    }
  }
  if (close == std::string_view::npos) return std::nullopt;
  auto canon = CanonicalKeyPath(t.substr(open, close - open));
  if (!canon.ok()) return std::nullopt;
  return *canon;
}

// The key of a "key = value" line in canonical form (dotted keys kept dotted), or nullopt.
std::optional<std::string> KeyOf(std::string_view line) {
  std::string_view t = Trim(line);
  if (t.empty() || t.front() == '#' || t.front() == '[') return std::nullopt;
  char quote = 0;
  for (size_t i = 0; i < t.size(); ++i) {
    if (quote) {
      if (t[i] == quote) quote = 0;
    } else if (t[i] == '"' || t[i] == '\'') {
      quote = t[i];
    } else if (t[i] == '=') {
      auto canon = CanonicalKeyPath(t.substr(0, i));
      if (!canon.ok()) return std::nullopt;
      return *canon;
    }
  }
  return std::nullopt;
}

bool StartsWithPath(const std::string& path, const std::string& prefix) {
  return path == prefix ||
         (path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0 &&
          path[prefix.size()] == '.');
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

// The value of `SystemdCgroup` in the runc runtime's options table, "" when not set: a
// runtime for Kubernetes must use the same cgroup driver as the kubelet.
std::string RuncSystemdCgroup(const std::vector<std::string>& lines, const std::string& runtimes) {
  std::string table;
  for (const auto& line : lines) {
    if (auto h = HeaderOf(line)) {
      table = *h;
      continue;
    }
    auto key = KeyOf(line);
    if (!key || table != runtimes + ".runc.options" || *key != "SystemdCgroup") continue;
    std::string_view v = Trim(std::string_view(line).substr(line.find('=') + 1));
    if (v.substr(0, 4) == "true") return "true";
    if (v.substr(0, 5) == "false") return "false";
  }
  return "";
}

struct Block {
  size_t begin = 0, end = 0;  // line indexes of the markers
  bool found = false;
};

Result<Block> FindBlock(const std::vector<std::string>& lines, const std::string& name) {
  Block b;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (Trim(lines[i]) == BeginMarker(name)) {
      if (b.found)
        return MakeError(ErrorKind::kInvalidArgument, "line {}: a second {}", i + 1,
                         BeginMarker(name));
      b.found = true;
      b.begin = i;
      b.end = lines.size();
    } else if (b.found && b.end == lines.size() && Trim(lines[i]) == EndMarker(name)) {
      b.end = i;
    }
  }
  if (b.found && b.end == lines.size()) {
    return MakeError(ErrorKind::kInvalidArgument, "line {}: {} without '{}'", b.begin + 1,
                     BeginMarker(name), EndMarker(name));
  }
  return b;
}

}  // namespace

Result<std::string> CanonicalKeyPath(std::string_view path) {
  std::vector<std::string> keys;
  size_t i = 0;
  auto skip = [&] {
    while (i < path.size() && (path[i] == ' ' || path[i] == '\t')) ++i;
  };
  while (true) {
    skip();
    std::string key;
    if (i < path.size() && (path[i] == '"' || path[i] == '\'')) {
      char q = path[i++];
      while (i < path.size() && path[i] != q) {
        if (q == '"' && path[i] == '\\' && i + 1 < path.size()) ++i;
        key.push_back(path[i++]);
      }
      if (i >= path.size()) return MakeError(ErrorKind::kParse, "unterminated quote in key");
      ++i;
    } else {
      while (i < path.size() && IsBareKeyChar(path[i])) key.push_back(path[i++]);
      if (key.empty()) return MakeError(ErrorKind::kParse, "empty key in '{}'", path);
    }
    keys.push_back(key);
    skip();
    if (i >= path.size()) break;
    if (path[i] != '.') return MakeError(ErrorKind::kParse, "unexpected '{}' in key", path[i]);
    ++i;
  }
  std::string out;
  for (const auto& k : keys) {
    bool bare = !k.empty();
    for (char c : k) bare = bare && IsBareKeyChar(c);
    out += (out.empty() ? "" : ".") + (bare ? k : Quote(k));
  }
  return out;
}

Result<int> ContainerdConfigVersion(std::string_view toml) {
  for (const auto& line : Lines(toml)) {
    if (HeaderOf(line)) break;
    auto key = KeyOf(line);
    if (!key || *key != "version") continue;
    std::string_view v = Trim(std::string_view(line).substr(line.find('=') + 1));
    if (v.empty() || v[0] < '0' || v[0] > '9') {
      return MakeError(ErrorKind::kParse, "version is not a number: '{}'", v);
    }
    int n = v[0] - '0';
    if ((v.size() > 1 && v[1] != ' ' && v[1] != '#' && v[1] != '\t') || n < 1 || n > 3) {
      return MakeError(ErrorKind::kUnsupported, "containerd config version '{}' (1, 2 or 3)", v);
    }
    return n;
  }
  return 1;
}

std::string RuntimesTable(int version) {
  switch (version) {
    case 1:
      return "plugins.cri.containerd.runtimes";
    case 3:
      return "plugins.\"io.containerd.cri.v1.runtime\".containerd.runtimes";
    default:
      return "plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes";
  }
}

namespace {

// Removes a merge's block and the blank line the merge put before it.
void RemoveBlock(std::vector<std::string>& lines, const Block& b) {
  size_t begin = b.begin;
  if (begin > 0 && Trim(lines[begin - 1]).empty()) --begin;
  lines.erase(lines.begin() + static_cast<long>(begin),
              lines.begin() + static_cast<long>(b.end) + 1);
}

// Refuses whatever the block would collide with: a table or key at or below one of `ours` (a
// runtime defined elsewhere, as a table or a dotted/inline key), or a parent of one written
// inline (a header cannot extend it).
Status CheckNoCollision(const std::vector<std::string>& lines, const std::string& ours,
                        const std::string& name) {
  std::string table;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (auto h = HeaderOf(lines[i])) {
      table = *h;
      if (StartsWithPath(*h, ours)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "line {}: [{}] already defines runtime '{}'; remove it (or install "
                         "under another --runtime-name)",
                         i + 1, *h, name);
      }
      continue;
    }
    auto key = KeyOf(lines[i]);
    if (!key) continue;
    std::string full = table.empty() ? *key : table + "." + *key;
    if (StartsWithPath(full, ours) || StartsWithPath(ours, full)) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "line {}: '{}' {} with a key; this merge only adds tables, edit it by hand",
                       i + 1, Trim(lines[i]),
                       StartsWithPath(full, ours) ? "already defines the runtime"
                                                  : "defines a parent table of the runtime");
    }
  }
  return Ok();
}

// The value of a `key = "string"` line, unquoted (a bare word as written).
std::string StringValue(std::string_view line) {
  std::string_view v = Trim(line.substr(line.find('=') + 1));
  if (!v.empty() && (v.front() == '"' || v.front() == '\'')) {
    size_t close = v.find(v.front(), 1);
    return std::string(v.substr(1, close == std::string_view::npos ? v.npos : close - 1));
  }
  return std::string(v.substr(0, v.find_first_of(" \t#")));
}

// Whether the file leaves the CRI plugin on its built-in runtimes map: it names no runtime
// under `runtimes` and its default runtime is the built-in one. containerd 1.6 starts the
// plugin config from a map holding only "runc" (runtime_type io.containerd.runc.v2,
// pkg/cri/config/config_unix.go DefaultConfig) and decoding a file that names any runtime
// replaces that map, so our table alone would leave default_runtime_name "runc" undefined and
// the plugin refuses to load ("no corresponding runtime configured in containerd.runtimes for
// containerd default_runtime_name"). A file that names other runtimes but not its default was
// broken before us and is left as it is.
bool ReliesOnBuiltInRuntime(const std::vector<std::string>& lines, const std::string& runtimes) {
  const std::string parent = runtimes.substr(0, runtimes.rfind('.'));
  std::string table, default_name = kBuiltInRuntime;
  for (const auto& line : lines) {
    if (auto h = HeaderOf(line)) {
      table = *h;
      if (StartsWithPath(*h, runtimes) && *h != runtimes) return false;
      continue;
    }
    auto key = KeyOf(line);
    if (!key) continue;
    std::string full = table.empty() ? *key : table + "." + *key;
    if (StartsWithPath(full, runtimes)) return false;  // `runtimes = {...}` or runtimes.x.y = ..
    if (full == parent + ".default_runtime_name") default_name = StringValue(line);
  }
  return default_name == kBuiltInRuntime;
}

std::vector<std::string> BlockLines(const std::string& ours, const ContainerdRuntimeEntry& entry,
                                    const std::string& cgroup, const std::string& builtin) {
  std::vector<std::string> out = {BeginMarker(entry.name)};
  if (!builtin.empty()) {
    out.push_back("# " + std::string(kBuiltInRuntime) +
                  ": containerd's built-in default runtime, which a runtimes table here would "
                  "otherwise replace");
    out.push_back("[" + builtin + "]");
    out.push_back("  runtime_type = \"io.containerd.runc.v2\"");
  }
  out.push_back("[" + ours + "]");
  out.push_back("  runtime_type = \"io.containerd.runc.v2\"");
  out.push_back("[" + ours + ".options]");
  out.push_back("  BinaryName = " + Quote(entry.runtime_path));
  if (!cgroup.empty()) out.push_back("  SystemdCgroup = " + cgroup);
  out.push_back(EndMarker(entry.name));
  return out;
}

}  // namespace

Result<ContainerdMerge> MergeContainerdConfig(std::string_view existing,
                                              const ContainerdRuntimeEntry& entry) {
  std::vector<std::string> lines = Lines(existing);
  bool final_newline = EndsWithNewline(existing);
  int version = 2;
  if (!Trim(existing).empty()) {
    VERIFIED_ASSIGN_OR_RETURN(version, ContainerdConfigVersion(existing));
  } else {
    lines = {"version = 2"};
    final_newline = true;
  }
  VERIFIED_ASSIGN_OR_RETURN(Block old, FindBlock(lines, entry.name));
  if (old.found) RemoveBlock(lines, old);
  const std::string runtimes = RuntimesTable(version);
  VERIFIED_ASSIGN_OR_RETURN(std::string ours, CanonicalKeyPath(runtimes + "." + Quote(entry.name)));
  VERIFIED_RETURN_IF_ERROR(CheckNoCollision(lines, ours, entry.name));
  ContainerdMerge out;
  std::string builtin;
  if (entry.name != kBuiltInRuntime && ReliesOnBuiltInRuntime(lines, runtimes)) {
    VERIFIED_ASSIGN_OR_RETURN(builtin, CanonicalKeyPath(runtimes + "." + kBuiltInRuntime));
    out.added_builtin = true;
  }
  lines.push_back("");  // the blank line before the block, removed with it
  for (auto& l : BlockLines(ours, entry, RuncSystemdCgroup(lines, runtimes), builtin)) {
    lines.push_back(std::move(l));
  }
  out.text = Join(lines, final_newline);
  return out;
}

Result<std::string> UnmergeContainerdConfig(std::string_view existing, const std::string& name) {
  std::vector<std::string> lines = Lines(existing);
  VERIFIED_ASSIGN_OR_RETURN(Block b, FindBlock(lines, name));
  if (!b.found) {
    return MakeError(ErrorKind::kNotFound, "no '{}' block from verifiedctl in the config",
                     BeginMarker(name));
  }
  RemoveBlock(lines, b);
  return Join(lines, EndsWithNewline(existing));
}

}  // namespace verified::install
