#include "verifier/checks/sealed_image.h"

#include <algorithm>
#include <set>

namespace verified {
namespace {

constexpr size_t kMaxAccountFileBytes = 4u << 20;  // /etc/passwd, /etc/group

std::optional<uint32_t> ParseId(std::string_view s) {
  if (s.empty() || s.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(v);
}

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (true) {
    auto i = s.find(sep, pos);
    out.push_back(s.substr(pos, i == std::string_view::npos ? s.size() - pos : i - pos));
    if (i == std::string_view::npos) break;
    pos = i + 1;
  }
  return out;
}

Result<std::vector<std::string>> StringList(const nlohmann::json& cfg, const char* key) {
  std::vector<std::string> out;
  auto it = cfg.find(key);
  if (it == cfg.end() || it->is_null()) return out;
  if (!it->is_array()) return MakeError(ErrorKind::kParse, "image config {} is not a list", key);
  for (const auto& v : *it) {
    if (!v.is_string())
      return MakeError(ErrorKind::kParse, "image config {} has a non-string", key);
    out.push_back(v.get<std::string>());
  }
  return out;
}

// The text of an account file in the merged view, "" when the image has none.
std::string AccountFile(const MergedTree& tree, const char* abs) {
  auto rel = tree.Resolve(abs);
  if (!rel.ok()) return "";
  auto text = tree.ReadFile(*rel, kMaxAccountFileBytes);
  return text.ok() ? *text : std::string();
}

// The home directory (6th field) of the first /etc/passwd line for `uid`, "/" when none: the
// HOME runc's init and libpod derive for the container's user.
std::string PasswdHome(std::string_view text, uint32_t uid) {
  for (auto line : Split(text, '\n')) {
    auto f = Split(line, ':');
    if (f.size() < 6 || f[0].empty() || ParseId(f[2]) != uid) continue;
    return f[5].empty() ? std::string("/") : std::string(f[5]);
  }
  return "/";
}

ImageUser ResolveUser(const std::string& spec, const MergedTree& tree) {
  ImageUser u;
  u.spec = spec;
  std::string passwd_text = AccountFile(tree, "/etc/passwd");
  auto passwd = ParsePasswd(passwd_text);
  auto parts = Split(spec, ':');
  std::string_view user_part = parts[0], group_part = parts.size() > 1 ? parts[1] : "";
  std::string name;
  if (parts.size() > 2) {
    u.error = "user '" + spec + "' is not NAME[:GROUP]";
    return u;
  }
  if (user_part.empty()) user_part = "0";
  if (auto id = ParseId(user_part)) {
    u.uid = *id;
    for (const auto& [n, ids] : passwd) {
      if (ids.first == u.uid) {
        name = n;
        u.gid = ids.second;
        break;
      }
    }
  } else {
    auto it = passwd.find(std::string(user_part));
    if (it == passwd.end()) {
      u.error = "the image's user '" + std::string(user_part) + "' is not in its /etc/passwd";
      return u;
    }
    name = it->first;
    u.uid = it->second.first;
    u.gid = it->second.second;
  }
  auto groups = ParseGroup(AccountFile(tree, "/etc/group"));
  if (!group_part.empty()) {
    if (auto id = ParseId(group_part)) {
      u.gid = *id;
    } else {
      auto it = groups.find(std::string(group_part));
      if (it == groups.end()) {
        u.error = "the image's group '" + std::string(group_part) + "' is not in its /etc/group";
        return u;
      }
      u.gid = it->second.first;
    }
  }
  std::set<uint32_t> all = {u.gid};
  for (const auto& [g, entry] : groups) {
    if (!name.empty() && std::count(entry.second.begin(), entry.second.end(), name)) {
      all.insert(entry.first);
    }
  }
  u.groups.assign(all.begin(), all.end());
  u.home = PasswdHome(passwd_text, u.uid);
  return u;
}

bool IsSharedLibraryName(std::string_view base) {
  auto pos = base.find(".so");
  if (pos == std::string_view::npos || pos == 0) return false;
  auto rest = base.substr(pos + 3);
  if (rest.empty()) return true;
  return rest[0] == '.' && std::all_of(rest.begin(), rest.end(),
                                       [](char c) { return (c >= '0' && c <= '9') || c == '.'; });
}

std::string Parent(const std::string& rel) {
  auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string() : rel.substr(0, slash);
}

std::string_view Base(const std::string& rel) {
  auto slash = rel.rfind('/');
  return slash == std::string::npos ? std::string_view(rel)
                                    : std::string_view(rel).substr(slash + 1);
}

bool IsCode(const MergedEntry& e, std::string_view base) {
  return e.IsExecutable() || (e.IsRegular() && IsSharedLibraryName(base));
}

std::vector<ProtectedDir> ProtectedDirs(const MergedTree& tree, const std::vector<std::string>& env,
                                        const SealedOptions& opts) {
  std::map<std::string, std::string> dirs;  // first reason wins
  for (const auto& [rel, e] : tree.entries()) {
    if (IsCode(e, Base(rel))) {
      dirs.emplace(Parent(rel), "holds " + AbsPath(rel));
    } else if (e.IsSymlink()) {
      auto target = tree.Resolve(AbsPath(rel));
      if (!target.ok()) continue;
      const MergedEntry* t = tree.Find(*target);
      if (t != nullptr && IsCode(*t, Base(*target))) {
        dirs.emplace(Parent(rel),
                     "holds " + AbsPath(rel) + " (symlink to " + AbsPath(*target) + ")");
      }
    }
  }
  std::string path = kEngineDefaultPath;
  for (const auto& kv : env) {
    if (kv.rfind("PATH=", 0) == 0) path = kv.substr(5);
  }
  for (auto dir : Split(path, ':')) {
    if (dir.empty() || dir.front() != '/') continue;
    auto rel = tree.Resolve(dir);
    if (rel.ok()) dirs.emplace(*rel, "is on the image's PATH");
  }
  for (const auto& p : opts.protect) {
    auto rel = tree.Resolve(p);
    if (rel.ok()) dirs[*rel] = "is listed in the rule's protect option";
  }
  std::vector<ProtectedDir> out;
  for (auto& [rel, why] : dirs) out.push_back({rel, why});
  return out;
}

}  // namespace

std::string ImageUser::Describe() const {
  std::string who = spec.empty() ? "root (the image sets no USER)" : "'" + spec + "'";
  if (!error.empty()) return who;
  return fmt::format("{} (uid {}, gid {})", who, uid, gid);
}

std::map<std::string, std::pair<uint32_t, uint32_t>> ParsePasswd(std::string_view text) {
  std::map<std::string, std::pair<uint32_t, uint32_t>> out;
  for (auto line : Split(text, '\n')) {
    auto f = Split(line, ':');
    if (f.size() < 4 || f[0].empty()) continue;
    auto uid = ParseId(f[2]), gid = ParseId(f[3]);
    if (uid && gid) out.emplace(std::string(f[0]), std::make_pair(*uid, *gid));
  }
  return out;
}

std::map<std::string, std::pair<uint32_t, std::vector<std::string>>> ParseGroup(
    std::string_view text) {
  std::map<std::string, std::pair<uint32_t, std::vector<std::string>>> out;
  for (auto line : Split(text, '\n')) {
    auto f = Split(line, ':');
    if (f.size() < 4 || f[0].empty()) continue;
    auto gid = ParseId(f[2]);
    if (!gid) continue;
    std::vector<std::string> members;
    for (auto m : Split(f[3], ',')) {
      if (!m.empty()) members.emplace_back(m);
    }
    out.emplace(std::string(f[0]), std::make_pair(*gid, std::move(members)));
  }
  return out;
}

Result<ImageIntent> ReadImageIntent(const ResolvedImage& image, const MergedTree& tree,
                                    const SealedOptions& options) {
  ImageIntent intent;
  static const nlohmann::json kEmpty = nlohmann::json::object();
  const nlohmann::json* cfg = &kEmpty;
  if (image.config.is_object()) {
    auto it = image.config.find("config");
    if (it != image.config.end() && it->is_object()) cfg = &*it;
  }
  VERIFIED_ASSIGN_OR_RETURN(intent.entrypoint, StringList(*cfg, "Entrypoint"));
  VERIFIED_ASSIGN_OR_RETURN(intent.cmd, StringList(*cfg, "Cmd"));
  VERIFIED_ASSIGN_OR_RETURN(intent.env, StringList(*cfg, "Env"));
  intent.workdir = "/";
  std::string user;
  for (auto [key, target] : {std::pair{"WorkingDir", &intent.workdir}, std::pair{"User", &user}}) {
    auto it = cfg->find(key);
    if (it == cfg->end() || it->is_null()) continue;
    if (!it->is_string())
      return MakeError(ErrorKind::kParse, "image config {} is not a string", key);
    if (!it->get<std::string>().empty()) *target = it->get<std::string>();
  }
  intent.user = ResolveUser(user, tree);
  intent.protected_dirs = ProtectedDirs(tree, intent.env, options);
  return intent;
}

}  // namespace verified
