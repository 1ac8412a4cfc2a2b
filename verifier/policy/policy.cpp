#include "verifier/policy/policy.h"

#include <set>

#include "verifier/checks/attestation_requirements.h"
#include "verifier/checks/catalog.h"
#include "verifier/checks/signature_requirements.h"
#include "verifier/core/json.h"
#include "verifier/crypto/sha256.h"

namespace verified {
namespace {

Status OnlyKeys(const nlohmann::json& obj, const std::set<std::string>& allowed,
                const std::string& where) {
  for (const auto& [k, v] : obj.items()) {
    if (!allowed.count(k)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      return MakeError(ErrorKind::kParse, "{}: unknown key '{}' (allowed: {})", where, k, list);
    }
  }
  return Ok();
}

Result<Action> ParseAction(const nlohmann::json& v, const std::string& where) {
  if (v.is_string() && v.get<std::string>() == "allow") return Action::kAllow;
  if (v.is_string() && v.get<std::string>() == "deny") return Action::kDeny;
  return MakeError(ErrorKind::kParse, "{} must be \"allow\" or \"deny\"", where);
}

Result<std::vector<RequirementPtr>> ParseRequirements(const nlohmann::json& obj,
                                                      const std::string& where) {
  std::vector<RequirementPtr> out;
  if (!obj.is_object()) {
    return MakeError(ErrorKind::kParse, "{} must be an object of requirement: value", where);
  }
  for (const auto& [name, value] : obj.items()) {
    auto req = MakeRequirement(name, value);
    if (!req.ok()) return Wrap(std::move(req).error(), "{}", where);
    if (*req) out.push_back(std::move(*req));
  }
  // signatures and signed_identity qualify signed_by: one requirement evaluates the three.
  auto combined = CombineSignatureRequirements(std::move(out));
  if (!combined.ok()) return Wrap(std::move(combined).error(), "{}", where);
  // The attestation requirements use attested_by's keys, else the combined signed_by's.
  auto attested = CombineAttestationRequirements(std::move(combined).value());
  if (!attested.ok()) return Wrap(std::move(attested).error(), "{}", where);
  return attested;
}

Result<Rule> ParseRule(const nlohmann::json& j, size_t index) {
  std::string where = fmt::format("rule {}", index);
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "{} is not an object", where);
  VERIFIED_RETURN_IF_ERROR(
      OnlyKeys(j, {"name", "match", "regex", "action", "require", "content"}, where));
  Rule rule;
  rule.index = index;
  VERIFIED_ASSIGN_OR_RETURN(rule.name, OptionalString(j, "name", where));
  bool has_glob = j.contains("match"), has_regex = j.contains("regex");
  if (has_glob == has_regex) {
    return MakeError(ErrorKind::kParse, "{} needs exactly one of \"match\" (glob) or \"regex\"",
                     where);
  }
  const auto& pat = has_glob ? j["match"] : j["regex"];
  if (!pat.is_string()) return MakeError(ErrorKind::kParse, "{}: pattern is not a string", where);
  auto compiled = has_glob ? ImagePattern::Glob(pat.get<std::string>())
                           : ImagePattern::Regex(pat.get<std::string>());
  if (!compiled.ok()) return Wrap(std::move(compiled).error(), "{}", where);
  rule.pattern = std::move(compiled).value();
  if (!j.contains("action")) return MakeError(ErrorKind::kParse, "{} has no action", where);
  VERIFIED_ASSIGN_OR_RETURN(rule.action, ParseAction(j["action"], where + " action"));
  nlohmann::json require = j.value("require", nlohmann::json::object());
  // "content" is a rule-level knob (issue: content: off|full|cached) but behaves as a
  // requirement; folding it in keeps one evaluation path.
  if (j.contains("content")) require["content"] = j["content"];
  if (rule.action == Action::kDeny && !require.empty()) {
    return MakeError(ErrorKind::kParse, "{}: a deny rule cannot carry requirements", where);
  }
  VERIFIED_ASSIGN_OR_RETURN(rule.requirements, ParseRequirements(require, where + " require"));
  return rule;
}

}  // namespace

std::string Rule::Describe() const {
  std::string s = fmt::format("rule {} {}", index, pattern.Describe());
  if (!name.empty()) s += " (" + name + ")";
  return s;
}

const char* ModeName(Mode m) { return m == Mode::kEnforce ? "enforce" : "audit"; }
const char* ActionName(Action a) { return a == Action::kAllow ? "allow" : "deny"; }

Result<Policy> ParsePolicy(std::string_view text) {
  if (text.size() > kMaxPolicyBytes) {
    return MakeError(ErrorKind::kTooLarge, "policy of {} bytes exceeds the limit of {}",
                     text.size(), kMaxPolicyBytes);
  }
  VERIFIED_ASSIGN_OR_RETURN(nlohmann::json j, ParseJson(text, "policy"));
  if (!j.is_object()) return MakeError(ErrorKind::kParse, "policy is not a JSON object");
  VERIFIED_RETURN_IF_ERROR(
      OnlyKeys(j, {"version", "mode", "default", "baseline", "rules"}, "policy"));
  Policy p;
  p.digest = "sha256:" + Sha256Hex(text);
  if (j.contains("version") && !(j["version"].is_number_integer() && j["version"] == 1)) {
    return MakeError(ErrorKind::kUnsupported, "policy version must be 1");
  }
  VERIFIED_ASSIGN_OR_RETURN(std::string mode, OptionalString(j, "mode", "policy"));
  if (mode.empty() || mode == "enforce") {
    p.mode = Mode::kEnforce;
  } else if (mode == "audit") {
    p.mode = Mode::kAudit;
  } else {
    return MakeError(ErrorKind::kParse, "policy mode must be \"enforce\" or \"audit\"");
  }
  // Fail closed: a policy that does not say otherwise denies what no rule allows.
  if (j.contains("default")) {
    VERIFIED_ASSIGN_OR_RETURN(p.default_action, ParseAction(j["default"], "policy default"));
  }
  if (j.contains("baseline")) {
    VERIFIED_ASSIGN_OR_RETURN(p.baseline, ParseRequirements(j["baseline"], "policy baseline"));
  }
  if (j.contains("rules")) {
    const auto& rules = j["rules"];
    if (!rules.is_array()) return MakeError(ErrorKind::kParse, "policy rules must be a list");
    if (rules.size() > kMaxRules) {
      return MakeError(ErrorKind::kTooLarge, "policy has more than {} rules", kMaxRules);
    }
    for (size_t i = 0; i < rules.size(); ++i) {
      VERIFIED_ASSIGN_OR_RETURN(Rule r, ParseRule(rules[i], i + 1));
      p.rules.push_back(std::move(r));
    }
  }
  return p;
}

}  // namespace verified
