#include "shim/runc_args.h"

#include <algorithm>
#include <map>
#include <set>

namespace verified::shim {
namespace {

enum class FlagType { kBool, kString, kInt, kSlice };

struct FlagDef {
  const char* name;
  const char* alias;  // "" when none
  FlagType type;
};

// Union of runc 1.1, 1.2 and main (create.go, run.go, restore.go, exec.go, main.go). Flags a
// newer runc added that older ones lack are accepted: the runc we exec will reject them itself.
const FlagDef kGlobalFlags[] = {
    {"debug", "", FlagType::kBool},        {"log", "", FlagType::kString},
    {"log-format", "", FlagType::kString}, {"root", "", FlagType::kString},
    {"criu", "", FlagType::kString},       {"systemd-cgroup", "", FlagType::kBool},
    {"rootless", "", FlagType::kString},   {"help", "h", FlagType::kBool},
    {"version", "v", FlagType::kBool},
};

const FlagDef kCreateFlags[] = {
    {"bundle", "b", FlagType::kString},      {"console-socket", "", FlagType::kString},
    {"pidfd-socket", "", FlagType::kString}, {"pid-file", "", FlagType::kString},
    {"no-pivot", "", FlagType::kBool},       {"no-new-keyring", "", FlagType::kBool},
    {"preserve-fds", "", FlagType::kInt},    {"help", "h", FlagType::kBool},
};

const FlagDef kRunFlags[] = {
    {"bundle", "b", FlagType::kString},      {"console-socket", "", FlagType::kString},
    {"pidfd-socket", "", FlagType::kString}, {"detach", "d", FlagType::kBool},
    {"keep", "", FlagType::kBool},           {"pid-file", "", FlagType::kString},
    {"no-subreaper", "", FlagType::kBool},   {"no-pivot", "", FlagType::kBool},
    {"no-new-keyring", "", FlagType::kBool}, {"preserve-fds", "", FlagType::kInt},
    {"help", "h", FlagType::kBool},
};

const FlagDef kRestoreFlags[] = {
    {"console-socket", "", FlagType::kString},
    {"image-path", "", FlagType::kString},
    {"work-path", "", FlagType::kString},
    {"tcp-established", "", FlagType::kBool},
    {"ext-unix-sk", "", FlagType::kBool},
    {"shell-job", "", FlagType::kBool},
    {"file-locks", "", FlagType::kBool},
    {"manage-cgroups-mode", "", FlagType::kString},
    {"bundle", "b", FlagType::kString},
    {"detach", "d", FlagType::kBool},
    {"pid-file", "", FlagType::kString},
    {"no-subreaper", "", FlagType::kBool},
    {"no-pivot", "", FlagType::kBool},
    {"empty-ns", "", FlagType::kSlice},
    {"auto-dedup", "", FlagType::kBool},
    {"lazy-pages", "", FlagType::kBool},
    {"lsm-profile", "", FlagType::kString},
    {"lsm-mount-context", "", FlagType::kString},
    {"pidfd-socket", "", FlagType::kString},
    {"status-fd", "", FlagType::kInt},
    {"help", "h", FlagType::kBool},
};

const FlagDef kExecFlags[] = {
    {"console-socket", "", FlagType::kString},
    {"pidfd-socket", "", FlagType::kString},
    {"cwd", "", FlagType::kString},
    {"env", "e", FlagType::kSlice},
    {"tty", "t", FlagType::kBool},
    {"user", "u", FlagType::kString},
    {"additional-gids", "g", FlagType::kSlice},
    {"process", "p", FlagType::kString},
    {"detach", "d", FlagType::kBool},
    {"pid-file", "", FlagType::kString},
    {"process-label", "", FlagType::kString},
    {"apparmor", "", FlagType::kString},
    {"no-new-privs", "", FlagType::kBool},
    {"cap", "c", FlagType::kSlice},
    {"preserve-fds", "", FlagType::kInt},
    {"cgroup", "", FlagType::kSlice},
    {"ignore-paused", "", FlagType::kBool},
    {"help", "h", FlagType::kBool},
};

template <size_t N>
std::vector<FlagDef> Defs(const FlagDef (&arr)[N]) {
  return std::vector<FlagDef>(arr, arr + N);
}

const FlagDef* Lookup(const std::vector<FlagDef>& defs, const std::string& name) {
  for (const auto& d : defs) {
    if (name == d.name || (d.alias[0] != '\0' && name == d.alias)) return &d;
  }
  return nullptr;
}

bool ParseGoBool(const std::string& v, bool* out) {
  static const std::set<std::string> kTrue = {"1", "t", "T", "TRUE", "true", "True"};
  static const std::set<std::string> kFalse = {"0", "f", "F", "FALSE", "false", "False"};
  if (kTrue.count(v))
    *out = true;
  else if (kFalse.count(v))
    *out = false;
  else
    return false;
  return true;
}

bool ParseGoInt(const std::string& v) {
  // strconv.ParseInt(v, 0, 64): optional sign, then decimal, 0x, 0o, 0b or leading-0 octal,
  // with '_' separators allowed only with a base prefix. We accept the plain forms engines use
  // and refuse the rest (refusing is safe; runc would accept more, never less).
  if (v.empty()) return false;
  size_t i = (v[0] == '+' || v[0] == '-') ? 1 : 0;
  if (i == v.size()) return false;
  return std::all_of(v.begin() + static_cast<long>(i), v.end(),
                     [](char c) { return c >= '0' && c <= '9'; });
}

struct ParsedFlags {
  std::map<std::string, std::string> values;  // canonical name -> last value ("true" for bools)
  std::set<std::string> forms_seen;           // each spelling seen (to catch --bundle and -b)
  std::vector<std::string> positional;
  bool help = false;
};

// Go flag.FlagSet.Parse over `args` with the given definitions.
Result<ParsedFlags> GoFlagParse(const std::vector<FlagDef>& defs,
                                const std::vector<std::string>& args, bool strict_values) {
  ParsedFlags out;
  size_t i = 0;
  while (i < args.size()) {
    const std::string& s = args[i];
    if (s.size() < 2 || s[0] != '-') break;
    size_t minuses = s[1] == '-' ? 2 : 1;
    if (minuses == 2 && s.size() == 2) {
      ++i;
      break;
    }
    std::string name = s.substr(minuses);
    if (name.empty() || name[0] == '-' || name[0] == '=') {
      return MakeError(ErrorKind::kInvalidArgument, "bad flag syntax: {}", s);
    }
    ++i;
    bool has_value = false;
    std::string value;
    auto eq = name.find('=', 1);
    if (eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    const FlagDef* def = Lookup(defs, name);
    if (def == nullptr) {
      return MakeError(ErrorKind::kInvalidArgument, "flag provided but not defined: -{}", name);
    }
    out.forms_seen.insert(name);
    if (def->type == FlagType::kBool) {
      bool b = true;
      if (has_value && !ParseGoBool(value, &b)) {
        return MakeError(ErrorKind::kInvalidArgument, "invalid boolean value '{}' for -{}", value,
                         name);
      }
      out.values[def->name] = b ? "true" : "false";
      if (std::string(def->name) == "help" && b) out.help = true;
      continue;
    }
    if (!has_value) {
      if (i >= args.size()) {
        return MakeError(ErrorKind::kInvalidArgument, "flag needs an argument: -{}", name);
      }
      value = args[i++];
      // Go would take "--bundle -b" as bundle "-b"; other grammars (urfave/cli v3) would not.
      // On the create path we refuse what two grammars could read differently.
      if (strict_values && !value.empty() && value[0] == '-') {
        return MakeError(ErrorKind::kInvalidArgument,
                         "ambiguous value '{}' for -{} (looks like a flag)", value, name);
      }
    }
    if (def->type == FlagType::kInt && !ParseGoInt(value)) {
      return MakeError(ErrorKind::kInvalidArgument, "invalid value '{}' for -{}", value, name);
    }
    if (def->type == FlagType::kSlice) {
      out.values[def->name] += value + "\n";
    } else {
      out.values[def->name] = value;
    }
  }
  out.positional.assign(args.begin() + static_cast<long>(i), args.end());
  // urfave/cli v1 normalizeFlags: both spellings of one flag is an error.
  for (const auto& d : defs) {
    if (d.alias[0] != '\0' && out.forms_seen.count(d.name) && out.forms_seen.count(d.alias)) {
      return MakeError(ErrorKind::kInvalidArgument, "cannot use two forms of the same flag: {} {}",
                       d.name, d.alias);
    }
  }
  return out;
}

// urfave/cli v1.22 command.go reorderArgs: moves flag-looking arguments (and the argument
// after a flag without '=' unless it starts with '-') in front of the others; "--" and what
// follows stay at the end.
std::vector<std::string> ReorderArgs(const std::vector<std::string>& args) {
  std::vector<std::string> flags, nonflags;
  bool read_value = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--") {
      nonflags.insert(nonflags.end(), args.begin() + static_cast<long>(i), args.end());
      break;
    }
    if (read_value && a.rfind("-", 0) != 0) {
      read_value = false;
      flags.push_back(a);
      continue;
    }
    read_value = false;
    if (a != "-" && a.rfind("-", 0) == 0) {
      flags.push_back(a);
      read_value = a.find('=') == std::string::npos;
    } else {
      nonflags.push_back(a);
    }
  }
  flags.insert(flags.end(), nonflags.begin(), nonflags.end());
  return flags;
}

std::vector<FlagDef> SubcommandDefs(const std::string& sub) {
  if (sub == "create") return Defs(kCreateFlags);
  if (sub == "run") return Defs(kRunFlags);
  if (sub == "restore") return Defs(kRestoreFlags);
  return Defs(kExecFlags);
}

}  // namespace

bool IsCreatePath(const std::string& s) { return s == "create" || s == "run" || s == "restore"; }

bool MentionsCreatePath(const std::vector<std::string>& args) {
  return std::any_of(args.begin(), args.end(),
                     [](const std::string& a) { return IsCreatePath(a); });
}

Result<RuncCommandLine> ParseRuncGlobals(const std::vector<std::string>& args) {
  VERIFIED_ASSIGN_OR_RETURN(ParsedFlags g, GoFlagParse(Defs(kGlobalFlags), args, false));
  RuncCommandLine cl;
  cl.globals.log = g.values["log"];
  cl.globals.log_format = g.values["log-format"];
  cl.globals.root = g.values["root"];
  cl.globals.debug = g.values["debug"] == "true";
  cl.globals.systemd_cgroup = g.values["systemd-cgroup"] == "true";
  cl.globals.help = g.help || g.values["version"] == "true";
  if (!g.positional.empty()) {
    cl.subcommand = g.positional.front();
    cl.subcommand_index = args.size() - g.positional.size();
  }
  return cl;
}

Result<RuncCommandLine> ParseRuncArgs(const std::vector<std::string>& args) {
  VERIFIED_ASSIGN_OR_RETURN(RuncCommandLine cl, ParseRuncGlobals(args));
  bool is_exec = cl.subcommand == "exec";
  if (cl.globals.help || (!IsCreatePath(cl.subcommand) && !is_exec)) return cl;
  std::vector<std::string> sub(args.begin() + static_cast<long>(cl.subcommand_index) + 1,
                               args.end());
  if (!is_exec) sub = ReorderArgs(sub);  // exec.go sets SkipArgReorder
  auto parsed = GoFlagParse(SubcommandDefs(cl.subcommand), sub, true);
  if (!parsed.ok()) return Wrap(std::move(parsed).error(), "runc {}", cl.subcommand);
  if (parsed->help) {
    cl.help = true;
    return cl;
  }
  const auto& pos = parsed->positional;
  if (is_exec ? pos.empty() : pos.size() != 1) {
    return MakeError(ErrorKind::kInvalidArgument,
                     "runc {}: expected exactly one container id, got {} arguments", cl.subcommand,
                     pos.size());
  }
  cl.container_id = pos.front();
  if (!IsValidContainerId(cl.container_id)) {
    return MakeError(ErrorKind::kInvalidArgument, "runc {}: invalid container id '{}'",
                     cl.subcommand, cl.container_id);
  }
  cl.bundle = parsed->values["bundle"];
  return cl;
}

}  // namespace verified::shim
