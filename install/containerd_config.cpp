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

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
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

Result<std::string> MergeContainerdConfig(std::string_view existing,
                                          const ContainerdRuntimeEntry& entry) {
  std::vector<std::string> lines = Lines(existing);
  int version = 2;
  if (!Trim(existing).empty()) {
    VERIFIED_ASSIGN_OR_RETURN(version, ContainerdConfigVersion(existing));
  } else {
    lines = {"version = 2"};
  }
  VERIFIED_ASSIGN_OR_RETURN(Block old, FindBlock(lines, entry.name));
  if (old.found) {
    lines.erase(lines.begin() + static_cast<long>(old.begin),
                lines.begin() + static_cast<long>(old.end) + 1);
  }
  const std::string runtimes = RuntimesTable(version);
  VERIFIED_ASSIGN_OR_RETURN(std::string ours, CanonicalKeyPath(runtimes + "." + Quote(entry.name)));
  // Refuse whatever our block would collide with: the runtime defined elsewhere (as a table or
  // a dotted/inline key), or a parent table written inline (a header cannot extend it).
  std::string table;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (auto h = HeaderOf(lines[i])) {
      table = *h;
      if (StartsWithPath(*h, ours)) {
        return MakeError(ErrorKind::kInvalidArgument,
                         "line {}: [{}] already defines runtime '{}'; remove it (or install "
                         "under another --runtime-name)",
                         i + 1, *h, entry.name);
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
  std::string cgroup = RuncSystemdCgroup(lines, runtimes);
  while (!lines.empty() && Trim(lines.back()).empty()) lines.pop_back();
  lines.push_back("");
  lines.push_back(BeginMarker(entry.name));
  lines.push_back("[" + ours + "]");
  lines.push_back("  runtime_type = \"io.containerd.runc.v2\"");
  lines.push_back("[" + ours + ".options]");
  lines.push_back("  BinaryName = " + Quote(entry.runtime_path));
  if (!cgroup.empty()) lines.push_back("  SystemdCgroup = " + cgroup);
  lines.push_back(EndMarker(entry.name));
  return Join(lines);
}

Result<std::string> UnmergeContainerdConfig(std::string_view existing, const std::string& name) {
  std::vector<std::string> lines = Lines(existing);
  VERIFIED_ASSIGN_OR_RETURN(Block b, FindBlock(lines, name));
  if (!b.found) {
    return MakeError(ErrorKind::kNotFound, "no '{}' block from verifiedctl in the config",
                     BeginMarker(name));
  }
  size_t begin = b.begin;
  if (begin > 0 && Trim(lines[begin - 1]).empty()) --begin;  // the blank line merge added
  lines.erase(lines.begin() + static_cast<long>(begin),
              lines.begin() + static_cast<long>(b.end) + 1);
  return Join(lines);
}

}  // namespace verified::install
