#include "ctl/policy_edit.h"

#include <sys/stat.h>

#include "verifier/config/config_dir.h"
#include "verifier/core/json.h"
#include "verifier/fs/atomic_file.h"
#include "verifier/fs/dir.h"
#include "verifier/image/pattern.h"
#include "verifier/policy/policy.h"
#include "verifier/policy/policy_keys.h"

namespace verified::ctl {

nlohmann::ordered_json DefaultPolicyDoc() {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["mode"] = "enforce";
  j["default"] = "deny";
  j["rules"] = nlohmann::ordered_json::array();
  return j;
}

Status EditPolicy(const std::string& config_dir,
                  const std::function<Status(nlohmann::ordered_json&)>& edit) {
  VERIFIED_RETURN_IF_ERROR(MakeDirs(config_dir, 0755));
  VERIFIED_ASSIGN_OR_RETURN(FileLock lock, FileLock::Acquire(config_dir + "/.lock"));
  std::string path = PolicyPath(config_dir);
  nlohmann::ordered_json doc;
  auto text = ReadFileLimited(path, kMaxPolicyBytes);
  if (text.ok()) {
    VERIFIED_ASSIGN_OR_WRAP(doc, ParseOrderedJson(*text, "policy"), "{}", path);
    if (!doc.is_object()) return MakeError(ErrorKind::kParse, "{} is not a JSON object", path);
  } else if (text.error().kind() == ErrorKind::kNotFound) {
    doc = DefaultPolicyDoc();
  } else {
    return std::move(text).error();
  }
  VERIFIED_RETURN_IF_ERROR(edit(doc));
  std::string out = doc.dump(2) + "\n";
  auto parsed = ParsePolicy(out);
  if (!parsed.ok()) return Wrap(std::move(parsed).error(), "the edited policy is invalid");
  // The runtime would refuse to load a policy naming a key the host lacks (policy_keys.h).
  VERIFIED_RETURN_IF_ERROR_WRAP(CheckPolicyKeys(*parsed, config_dir),
                                "the edited policy is invalid");
  return WriteFileAtomic(path, out, 0644);
}

bool RuleHasPattern(const nlohmann::ordered_json& rule, const std::string& pattern, bool regex) {
  const char* key = regex ? "regex" : "match";
  if (!rule.is_object() || !rule.contains(key) || !rule[key].is_string()) return false;
  std::string written = rule[key].get<std::string>();
  if (written == pattern) return true;
  if (regex) return false;
  auto a = ImagePattern::Glob(written);
  auto b = ImagePattern::Glob(pattern);
  return a.ok() && b.ok() && a->key() == b->key();
}

std::pair<std::string, nlohmann::ordered_json> ParseRequireArg(const std::string& arg) {
  auto eq = arg.find('=');
  if (eq == std::string::npos) return {arg, true};
  std::string name = arg.substr(0, eq), value = arg.substr(eq + 1);
  auto j = ParseOrderedJson(value, "value");
  if (j.ok() && !j->is_string()) return {name, *j};
  return {name, value};
}

}  // namespace verified::ctl
