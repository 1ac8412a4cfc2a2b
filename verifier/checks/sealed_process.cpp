#include "verifier/checks/sealed_process.h"

#include <fnmatch.h>

#include <algorithm>
#include <optional>
#include <set>

#include "verifier/core/json.h"

namespace verified {
namespace {

constexpr size_t kMaxShown = 200;

// Variables the engines themselves add to every container: Docker's HOSTNAME, TERM (with -t)
// and its default PATH when the image sets none; Podman's "container", and HOME set to the
// image user's home from the image's own /etc/passwd (libpod container_internal_linux.go
// generateSpec adds it when the caller sets none; runc's init sets the same value inside a
// Docker container). Any other HOME is refused: Python, for one, loads code from
// $HOME/.local, so a caller-chosen HOME is a way in.
bool EngineVariable(const std::string& kv, bool image_has_path, const ImageUser& user) {
  static const std::set<std::string> kNames = {"HOSTNAME", "TERM", "container"};
  std::string name = kv.substr(0, kv.find('='));
  if (kNames.count(name) > 0) return true;
  if (user.error.empty() && !user.home.empty() && kv == "HOME=" + user.home) return true;
  return !image_has_path && kv == std::string("PATH=") + kEngineDefaultPath;
}

std::string VarName(const std::string& kv) { return kv.substr(0, kv.find('=')); }

bool ReadStrings(const nlohmann::json* j, std::vector<std::string>& out) {
  if (j == nullptr || j->is_null()) return true;
  if (!j->is_array()) return false;
  for (const auto& v : *j) {
    if (!v.is_string()) return false;
    out.push_back(v.get<std::string>());
  }
  return true;
}

void CheckArgs(const std::vector<std::string>& args, const ImageIntent& img,
               const SealedOptions& opts, std::vector<std::string>& out) {
  std::vector<std::string> own = img.entrypoint;
  own.insert(own.end(), img.cmd.begin(), img.cmd.end());
  if (own.empty()) {
    out.push_back(
        "the image defines no entrypoint or command, so a sealed container has "
        "nothing it may run (got " +
        ShowArgs(args) + ")");
    return;
  }
  // The fixed part: the whole ENTRYPOINT, or the program of CMD when there is none.
  std::vector<std::string> fixed =
      img.entrypoint.empty() ? std::vector<std::string>{img.cmd.front()} : img.entrypoint;
  bool same_program =
      args.size() >= fixed.size() && std::equal(fixed.begin(), fixed.end(), args.begin());
  if (!same_program) {
    std::vector<std::string> shown(
        args.begin(), args.begin() + static_cast<long>(std::min(args.size(), fixed.size())));
    out.push_back("entrypoint " + ShowArgs(shown) + " differs from the image's " + ShowArgs(fixed) +
                  " (a sealed image runs only its own entrypoint)");
    return;
  }
  if (!opts.allow_args && args != own) {
    out.push_back("arguments " + ShowArgs(args) + " differ from the image's " + ShowArgs(own) +
                  " (the rule does not set allow_args)");
  }
}

void CheckEnv(const std::vector<std::string>& env, const ImageIntent& img,
              const SealedOptions& opts, std::vector<std::string>& out) {
  if (opts.allow_any_env) return;
  std::set<std::string> own(img.env.begin(), img.env.end());
  bool has_path = std::any_of(img.env.begin(), img.env.end(),
                              [](const std::string& kv) { return VarName(kv) == "PATH"; });
  std::set<std::string> bad;
  for (const auto& kv : env) {
    if (own.count(kv)) continue;
    std::string name = VarName(kv);
    if (EngineVariable(kv, has_path, img.user)) continue;
    bool allowed =
        std::any_of(opts.allow_env.begin(), opts.allow_env.end(),
                    [&](const std::string& g) { return fnmatch(g.c_str(), name.c_str(), 0) == 0; });
    if (!allowed) bad.insert(name);
  }
  if (bad.empty()) return;
  std::string names;
  for (const auto& n : bad) names += (names.empty() ? "" : ", ") + n;
  // Only names: values may be secrets.
  out.push_back("environment variables not set this way by the image: " + names +
                " (allow them with the rule's allow_env option)");
}

std::string ShowIds(const std::vector<uint32_t>& ids) {
  std::string s;
  for (auto id : ids) {
    // Appended piecewise: GCC 12 at -O3 reports a false -Wstringop-overflow for
    // `const char* + std::string&&` (gcc.gnu.org/PR105329).
    if (!s.empty()) s += ',';
    s += std::to_string(id);
  }
  return s;
}

// A JSON integer >= 0 (parsed documents give unsigned numbers, built ones signed).
std::optional<uint64_t> NonNegative(const nlohmann::json* v) {
  if (v == nullptr) return std::nullopt;
  if (v->is_number_unsigned()) return v->get<uint64_t>();
  if (v->is_number_integer() && v->get<int64_t>() >= 0) {
    return static_cast<uint64_t>(v->get<int64_t>());
  }
  return std::nullopt;
}

// The spec's numeric process.user: false when it is missing or not two non-negative integers.
bool NumericUser(const nlohmann::json* user, uint64_t& uid, uint64_t& gid) {
  if (user == nullptr) return false;
  auto u = NonNegative(JsonAt(*user, {"uid"}));
  auto g = NonNegative(JsonAt(*user, {"gid"}));
  if (!u.has_value() || !g.has_value()) return false;
  uid = u.value();
  gid = g.value();
  return true;
}

void CheckUser(const nlohmann::json& process, const ImageIntent& img,
               std::vector<std::string>& out) {
  const ImageUser& want = img.user;
  if (!want.error.empty()) {
    out.push_back("cannot tell which user the image runs as: " + want.error);
    return;
  }
  const nlohmann::json* user = JsonAt(process, {"user"});
  // Plain integers once known: GCC 12 at -Os reports a false -Wmaybe-uninitialized when an
  // engaged std::optional is formatted after the emptiness check.
  uint64_t uid = 0, gid = 0;
  if (!NumericUser(user, uid, gid)) {
    out.push_back("process.user has no numeric uid and gid");
    return;
  }
  if (uid != want.uid || gid != want.gid) {
    out.push_back(fmt::format("user uid {} gid {} differs from the image's user {}", uid, gid,
                              want.Describe()));
    return;
  }
  std::vector<uint32_t> extra;
  if (auto it = user->find("additionalGids"); it != user->end() && !it->is_null()) {
    if (!it->is_array()) {
      out.push_back("process.user.additionalGids is not a list");
      return;
    }
    for (const auto& g : *it) {
      auto v = NonNegative(&g);
      if (!v) {
        out.push_back("process.user.additionalGids has a non-numeric entry");
        return;
      }
      if (std::find(want.groups.begin(), want.groups.end(), *v) == want.groups.end()) {
        extra.push_back(static_cast<uint32_t>(*v));
      }
    }
  }
  if (!extra.empty()) {
    out.push_back("supplementary groups " + ShowIds(extra) + " are not the image user's own (" +
                  ShowIds(want.groups) + ")");
  }
}

}  // namespace

std::string ShowArgs(const std::vector<std::string>& args) {
  std::string s =
      nlohmann::json(args).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > kMaxShown) s = s.substr(0, kMaxShown) + "...]";
  return s;
}

std::vector<std::string> CheckSealedProcess(const nlohmann::json& spec, const ImageIntent& image,
                                            const SealedOptions& options) {
  std::vector<std::string> out;
  const nlohmann::json* process = JsonAt(spec, {"process"});
  if (process == nullptr) return {"the spec has no process section"};
  std::vector<std::string> args, env;
  if (!ReadStrings(JsonAt(*process, {"args"}), args) || args.empty()) {
    out.push_back("process.args is missing or not a list of strings");
  } else {
    CheckArgs(args, image, options, out);
  }
  if (!ReadStrings(JsonAt(*process, {"env"}), env)) {
    out.push_back("process.env is not a list of strings");
  } else {
    CheckEnv(env, image, options, out);
  }
  std::string cwd = JsonString(*process, {"cwd"});
  if (CleanAbsolutePath(cwd.empty() ? "/" : cwd) != CleanAbsolutePath(image.workdir)) {
    out.push_back("working directory " + cwd + " differs from the image's " + image.workdir);
  }
  CheckUser(*process, image, out);
  return out;
}

}  // namespace verified
