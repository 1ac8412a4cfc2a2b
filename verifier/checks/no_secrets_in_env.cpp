#include "verifier/checks/no_secrets_in_env.h"

#include <cctype>

#include "verifier/checks/spec_view.h"

namespace verified {
namespace {

constexpr const char* kNoSecretsInEnvCheck = "no_secrets_in_env";
constexpr size_t kMaxPatterns = 256;
constexpr size_t kMaxPatternBytes = 256;

struct Patterns {
  std::vector<std::string> names, values, allow;
};

bool Same(char a, char b, bool fold) {
  if (!fold) return a == b;
  return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
}

const std::string* FirstMatch(const std::vector<std::string>& pats, std::string_view text,
                              bool fold) {
  for (const auto& p : pats) {
    if (WildcardMatch(p, text, fold)) return &p;
  }
  return nullptr;
}

class NoSecretsInEnv : public Requirement {
 public:
  explicit NoSecretsInEnv(Patterns p) : p_(std::move(p)) {}
  std::string Name() const override { return kNoSecretsInEnvCheck; }
  nlohmann::json Value() const override {
    if (p_.names == DefaultSecretNamePatterns() && p_.values == DefaultSecretValuePatterns() &&
        p_.allow == DefaultSecretAllowPatterns()) {
      return true;
    }
    return {{"names", p_.names}, {"values", p_.values}, {"allow", p_.allow}};
  }

  Finding Check(const CheckContext& ctx) const override {
    std::vector<std::string> problems;
    auto image_env = ImageEnv(ctx.image);
    if (!image_env.ok()) return Fail(kNoSecretsInEnvCheck, image_env.error().What());
    Scan(*image_env, "image config", problems);
    if (ctx.spec != nullptr) {
      auto spec_env = SpecEnv(*ctx.spec);
      if (!spec_env.ok()) return Fail(kNoSecretsInEnvCheck, spec_env.error().What());
      Scan(*spec_env, "container env", problems);
    }
    if (!problems.empty()) {
      std::string msg;
      for (const auto& p : problems) msg += (msg.empty() ? "" : "; ") + p;
      return Fail(kNoSecretsInEnvCheck,
                  msg +
                      " (values not shown); pass secrets as files (docker secrets, a "
                      "read-only mount) instead of environment variables");
    }
    if (ctx.spec == nullptr) {
      return NeedsSpec(kNoSecretsInEnvCheck,
                       fmt::format("the image env ({} variables) looks clean; the "
                                   "container env (docker run -e) is checked too",
                                   image_env->size()));
    }
    return Pass(kNoSecretsInEnvCheck, "no environment variable looks like a secret");
  }

 private:
  void Scan(const std::vector<std::string>& env, const char* where,
            std::vector<std::string>& problems) const {
    for (const auto& entry : env) {
      auto eq = entry.find('=');
      std::string_view name(entry.data(), eq == std::string::npos ? entry.size() : eq);
      std::string_view value;
      if (eq != std::string::npos) value = std::string_view(entry).substr(eq + 1);
      if (FirstMatch(p_.allow, name, true) != nullptr) continue;
      // Without '=' the whole entry could be a secret: do not show it.
      std::string shown = eq == std::string::npos ? std::string("(an entry without '=')")
                                                  : std::string(name.substr(0, 128));
      if (const auto* p = FirstMatch(p_.names, name, true)) {
        AddOnce(problems, fmt::format("{} variable {} has a secret-like name (pattern '{}')", where,
                                      shown, *p));
      } else if (const auto* p = FirstMatch(p_.values, value, false)) {
        AddOnce(problems, fmt::format("{} variable {} has a secret-like value (pattern '{}')",
                                      where, shown, *p));
      }
    }
  }
  static void AddOnce(std::vector<std::string>& v, std::string s) {
    for (const auto& x : v) {
      // The container env repeats the image env: report a variable once.
      if (x.substr(x.find(" variable ")) == s.substr(s.find(" variable "))) return;
    }
    v.push_back(std::move(s));
  }
  Patterns p_;
};

Result<std::vector<std::string>> PatternList(const nlohmann::json& obj, const char* key,
                                             const std::vector<std::string>& fallback) {
  auto it = obj.find(key);
  if (it == obj.end()) return fallback;
  if (!it->is_array() || it->size() > kMaxPatterns) {
    return MakeError(ErrorKind::kInvalidArgument, "'{}' must be a list of at most {} patterns", key,
                     kMaxPatterns);
  }
  std::vector<std::string> out;
  for (const auto& p : *it) {
    if (!p.is_string() || p.get<std::string>().empty() ||
        p.get<std::string>().size() > kMaxPatternBytes) {
      return MakeError(ErrorKind::kInvalidArgument,
                       "'{}' patterns are non-empty strings of at most {} bytes", key,
                       kMaxPatternBytes);
    }
    out.push_back(p.get<std::string>());
  }
  return out;
}

}  // namespace

bool WildcardMatch(std::string_view p, std::string_view t, bool fold) {
  // Greedy match with one backtrack point (the last star): with `*` as the only wildcard
  // this is exact and runs in O(|p|*|t|) time without recursion.
  size_t pi = 0, ti = 0, star = std::string_view::npos, mark = 0;
  while (ti < t.size()) {
    if (pi < p.size() && p[pi] == '*') {
      star = pi++;
      mark = ti;
    } else if (pi < p.size() && Same(p[pi], t[ti], fold)) {
      ++pi;
      ++ti;
    } else if (star != std::string_view::npos) {
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.size() && p[pi] == '*') ++pi;
  return pi == p.size();
}

const std::vector<std::string>& DefaultSecretNamePatterns() {
  static const std::vector<std::string> k = {"*PASSWORD*",    "*PASSWD*",     "*SECRET*",
                                             "*TOKEN*",       "*API_KEY*",    "*APIKEY*",
                                             "*PRIVATE_KEY*", "*ACCESS_KEY*", "*CREDENTIAL*"};
  return k;
}

const std::vector<std::string>& DefaultSecretValuePatterns() {
  static const std::vector<std::string> k = {"*-----BEGIN *PRIVATE KEY*-----*",
                                             "*-----BEGIN PGP PRIVATE KEY BLOCK-----*"};
  return k;
}

const std::vector<std::string>& DefaultSecretAllowPatterns() {
  // NAME_FILE variables hold the path of a mounted secret (the convention of the official
  // images for docker secrets), which is exactly the practice this requirement asks for.
  static const std::vector<std::string> k = {"*_FILE"};
  return k;
}

Result<RequirementPtr> MakeNoSecretsInEnv(const nlohmann::json& value) {
  Patterns p{DefaultSecretNamePatterns(), DefaultSecretValuePatterns(),
             DefaultSecretAllowPatterns()};
  if (value.is_boolean()) {
    if (!value.get<bool>()) return RequirementPtr();
  } else if (value.is_object()) {
    for (const auto& [k, v] : value.items()) {
      if (k != "names" && k != "values" && k != "allow") {
        return MakeError(ErrorKind::kInvalidArgument,
                         "unknown key '{}' (allowed: names, values, allow)", k);
      }
    }
    VERIFIED_ASSIGN_OR_RETURN(p.names, PatternList(value, "names", p.names));
    VERIFIED_ASSIGN_OR_RETURN(p.values, PatternList(value, "values", p.values));
    VERIFIED_ASSIGN_OR_RETURN(p.allow, PatternList(value, "allow", p.allow));
    if (p.names.empty() && p.values.empty()) {
      return MakeError(ErrorKind::kInvalidArgument, "at least one name or value pattern");
    }
  } else {
    return MakeError(ErrorKind::kInvalidArgument,
                     "value must be true or an object {{\"names\": [...], \"values\": [...], "
                     "\"allow\": [...]}}");
  }
  return RequirementPtr(std::make_shared<NoSecretsInEnv>(std::move(p)));
}

}  // namespace verified
