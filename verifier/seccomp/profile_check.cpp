#include "verifier/seccomp/profile_check.h"

#include <seccomp.h>

#include <algorithm>
#include <map>
#include <set>

namespace verified {
namespace {

enum class Effect { kAllows, kBlocks };

// runtime-spec config-linux.md "seccomp" actions.
Result<Effect> ActionEffect(const nlohmann::json& action, const std::string& where) {
  static const std::map<std::string, Effect> kActions = {
      {"SCMP_ACT_ALLOW", Effect::kAllows},        {"SCMP_ACT_LOG", Effect::kAllows},
      {"SCMP_ACT_TRACE", Effect::kAllows},        {"SCMP_ACT_NOTIFY", Effect::kAllows},
      {"SCMP_ACT_ERRNO", Effect::kBlocks},        {"SCMP_ACT_KILL", Effect::kBlocks},
      {"SCMP_ACT_KILL_PROCESS", Effect::kBlocks}, {"SCMP_ACT_KILL_THREAD", Effect::kBlocks},
      {"SCMP_ACT_TRAP", Effect::kBlocks},
  };
  if (!action.is_string()) return MakeError(ErrorKind::kParse, "{}: action is not a string", where);
  auto it = kActions.find(action.get<std::string>());
  if (it == kActions.end()) {
    return MakeError(ErrorKind::kParse, "{}: unknown seccomp action '{}'", where,
                     action.get<std::string>());
  }
  return it->second;
}

struct RuleSummary {
  bool allowed_somewhere = false;        // some rule naming it allows (maybe conditionally)
  bool blocked_unconditionally = false;  // some argument-free rule blocks it
};

Result<std::vector<std::string>> RuleNames(const nlohmann::json& rule, const std::string& where) {
  std::vector<std::string> names;
  auto add = [&](const nlohmann::json& n) -> Status {
    if (!n.is_string()) return MakeError(ErrorKind::kParse, "{}: a name is not a string", where);
    names.push_back(n.get<std::string>());
    return Ok();
  };
  if (auto it = rule.find("names"); it != rule.end() && !it->is_null()) {
    if (!it->is_array()) return MakeError(ErrorKind::kParse, "{}: names is not a list", where);
    for (const auto& n : *it) VERIFIED_RETURN_IF_ERROR(add(n));
  }
  // Docker's profile format also has a singular "name"; accept it so no name goes unchecked.
  if (auto it = rule.find("name"); it != rule.end() && !it->is_null()) {
    VERIFIED_RETURN_IF_ERROR(add(*it));
  }
  return names;
}

bool HasArgs(const nlohmann::json& rule) {
  auto it = rule.find("args");
  return it != rule.end() && it->is_array() && !it->empty();
}

}  // namespace

bool IsKnownSyscall(const std::string& name) {
  // Names of other architectures resolve to negative pseudo-syscall numbers; only
  // __NR_SCMP_ERROR means libseccomp has never heard of the name.
  return !name.empty() && seccomp_syscall_resolve_name(name.c_str()) != __NR_SCMP_ERROR;
}

Result<SeccompReport> AnalyzeSeccomp(const nlohmann::json* seccomp,
                                     const std::vector<std::string>& forbidden) {
  SeccompReport report;
  if (seccomp == nullptr || seccomp->is_null()) return report;
  if (!seccomp->is_object()) return MakeError(ErrorKind::kParse, "linux.seccomp is not an object");
  report.present = true;
  auto def = seccomp->find("defaultAction");
  if (def == seccomp->end()) {
    return MakeError(ErrorKind::kParse, "linux.seccomp has no defaultAction");
  }
  VERIFIED_ASSIGN_OR_RETURN(Effect default_effect,
                            ActionEffect(*def, "linux.seccomp defaultAction"));
  std::map<std::string, RuleSummary> seen;
  std::set<std::string> unknown;
  size_t total_names = 0;
  if (auto rules = seccomp->find("syscalls"); rules != seccomp->end() && !rules->is_null()) {
    if (!rules->is_array())
      return MakeError(ErrorKind::kParse, "linux.seccomp.syscalls is not a list");
    if (rules->size() > kMaxSeccompRules) {
      return MakeError(ErrorKind::kTooLarge, "seccomp profile has more than {} rules",
                       kMaxSeccompRules);
    }
    for (size_t i = 0; i < rules->size(); ++i) {
      const auto& rule = (*rules)[i];
      std::string where = "linux.seccomp.syscalls[" + std::to_string(i) + "]";
      if (!rule.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", where);
      auto action = rule.find("action");
      if (action == rule.end()) return MakeError(ErrorKind::kParse, "{} has no action", where);
      VERIFIED_ASSIGN_OR_RETURN(Effect effect, ActionEffect(*action, where));
      VERIFIED_ASSIGN_OR_RETURN(std::vector<std::string> names, RuleNames(rule, where));
      total_names += names.size();
      if (total_names > kMaxSeccompNames) {
        return MakeError(ErrorKind::kTooLarge, "seccomp profile names more than {} syscalls",
                         kMaxSeccompNames);
      }
      bool conditional = HasArgs(rule);
      for (auto& n : names) {
        if (!IsKnownSyscall(n)) unknown.insert(n);
        RuleSummary& s = seen[n];
        if (effect == Effect::kAllows) s.allowed_somewhere = true;
        if (effect == Effect::kBlocks && !conditional) s.blocked_unconditionally = true;
      }
    }
  }
  report.unknown_names.assign(unknown.begin(), unknown.end());
  for (const auto& f : forbidden) {
    auto it = seen.find(f);
    bool allowed = it != seen.end() && it->second.allowed_somewhere;
    bool blocked = it != seen.end() && it->second.blocked_unconditionally;
    if (allowed || (default_effect == Effect::kAllows && !blocked)) report.allowed.push_back(f);
  }
  return report;
}

}  // namespace verified
