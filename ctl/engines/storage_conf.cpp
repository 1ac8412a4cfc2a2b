#include "ctl/engines/storage_conf.h"

#include <sys/stat.h>

#include <set>

#include "verifier/fs/dir.h"

namespace verified::ctl {
namespace {

constexpr size_t kMaxStorageConfBytes = 1u << 20;

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

// Decodes one TOML string value (basic or literal) followed by nothing but a comment.
Result<std::string> TomlString(std::string_view v, const std::string& where) {
  if (v.empty() || (v.front() != '"' && v.front() != '\'')) {
    return MakeError(ErrorKind::kParse, "{}: value is not a string", where);
  }
  char quote = v.front();
  std::string out;
  size_t i = 1;
  for (; i < v.size() && v[i] != quote; ++i) {
    char c = v[i];
    if (quote == '"' && c == '\\') {
      if (++i >= v.size()) break;
      switch (v[i]) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case 't':
          out += '\t';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        default:
          return MakeError(ErrorKind::kParse, "{}: unsupported escape \\{}", where, v[i]);
      }
      continue;
    }
    out += c;
  }
  if (i >= v.size()) return MakeError(ErrorKind::kParse, "{}: unterminated string", where);
  std::string_view rest = Trim(v.substr(i + 1));
  if (!rest.empty() && rest.front() != '#') {
    return MakeError(ErrorKind::kParse, "{}: unexpected text after the string", where);
  }
  return out;
}

bool IsFile(const std::string& path) {
  struct stat st;
  return !path.empty() && stat(path.c_str(), &st) == 0;
}

}  // namespace

Result<StorageLocation> ParseStorageConf(std::string_view text, std::string_view what) {
  StorageLocation loc;
  std::string table;
  std::set<std::string> seen;
  size_t line_no = 0;
  while (!text.empty()) {
    auto nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (line.empty() || line.front() == '#') continue;
    if (line.front() == '[') {
      bool array = line.size() > 1 && line[1] == '[';
      std::string_view inner = line.substr(array ? 2 : 1);
      auto close = inner.find(']');
      if (close == std::string_view::npos) {
        return MakeError(ErrorKind::kParse, "{} line {}: unterminated table header", what, line_no);
      }
      // An array of tables is never the [storage] table.
      table = (array ? "[[" : "") + std::string(Trim(inner.substr(0, close)));
      continue;
    }
    auto eq = line.find('=');
    if (table != "storage" || eq == std::string_view::npos) continue;
    std::string key(Trim(line.substr(0, eq)));
    std::string* target = key == "graphroot" ? &loc.graphroot
                          : key == "runroot" ? &loc.runroot
                          : key == "driver"  ? &loc.driver
                                             : nullptr;
    if (target == nullptr) continue;
    std::string where = fmt::format("{} line {}", what, line_no);
    if (!seen.insert(key).second) {
      return MakeError(ErrorKind::kParse, "{}: {} is set twice", where, key);
    }
    VERIFIED_ASSIGN_OR_RETURN(*target, TomlString(Trim(line.substr(eq + 1)), where));
  }
  return loc;
}

Result<StorageLocation> FindPodmanStorage(const std::string& root_flag,
                                          const std::string& runroot_flag,
                                          const std::string& env_conf, const std::string& etc_conf,
                                          const std::string& usr_conf) {
  StorageLocation loc;
  std::string conf = !env_conf.empty()  ? env_conf
                     : IsFile(etc_conf) ? etc_conf
                     : IsFile(usr_conf) ? usr_conf
                                        : "";
  if (!conf.empty()) {
    VERIFIED_ASSIGN_OR_WRAP(std::string text, ReadFileLimited(conf, kMaxStorageConfBytes),
                            "storage configuration");
    VERIFIED_ASSIGN_OR_RETURN(loc, ParseStorageConf(text, conf));
    loc.source = conf;
  }
  if (loc.graphroot.empty()) {
    loc.graphroot = kDefaultGraphRoot;
    loc.source = conf.empty() ? "default" : conf + " (graphroot unset: default)";
  }
  if (loc.runroot.empty()) loc.runroot = kDefaultRunRoot;
  if (!root_flag.empty()) {
    loc.graphroot = root_flag;
    loc.source = "--root";
  }
  if (!runroot_flag.empty()) loc.runroot = runroot_flag;
  if (!loc.driver.empty() && loc.driver != "overlay") {
    return MakeError(ErrorKind::kUnsupported,
                     "{} sets storage driver \"{}\"; verified reads only the overlay driver", conf,
                     loc.driver);
  }
  return loc;
}

}  // namespace verified::ctl
